using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.Common;

/// <summary>A layer-4 protocol of a forwarded port. TCP and UDP ports are separate namespaces.</summary>
public enum TransportProtocol
{
    [JsonStringEnumMemberName("tcp")]
    Tcp,

    [JsonStringEnumMemberName("udp")]
    Udp,
}
