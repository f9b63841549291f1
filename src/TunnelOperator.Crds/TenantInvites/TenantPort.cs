using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.TenantInvites;

/// <summary>A public TCP or UDP port a tenant may claim on the edge.</summary>
public sealed record TenantPort
{
    [Description("Port number on the edge. Each port belongs to one tenant per protocol; ports below 1024 are refused unless the edge allows privileged ports.")]
    [Range(1, 65535)]
    public required int Port { get; init; }

    [Description("Transport protocol; TCP and UDP ports are separate, so 2222/tcp and 2222/udp can belong to different tenants.")]
    [Default(TransportProtocol.Tcp)]
    public TransportProtocol Protocol { get; set; } = TransportProtocol.Tcp;
}
