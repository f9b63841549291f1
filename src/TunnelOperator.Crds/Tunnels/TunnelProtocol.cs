using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.Tunnels;

/// <summary>How a tunnel is exposed on the edge and how the agent speaks to its target.</summary>
public enum TunnelProtocol
{
    /// <summary>Routed by Host header; the edge terminates TLS; the target speaks plain HTTP.</summary>
    [JsonStringEnumMemberName("http")]
    Http,

    /// <summary>Routed by Host header; the edge terminates TLS; the agent dials the target over TLS.</summary>
    [JsonStringEnumMemberName("https")]
    Https,

    /// <summary>Routed by TLS SNI without decrypting; the target holds the certificate.</summary>
    [JsonStringEnumMemberName("tls-passthrough")]
    TlsPassthrough,

    /// <summary>A raw TCP port on the edge.</summary>
    [JsonStringEnumMemberName("tcp")]
    Tcp,

    /// <summary>A UDP port on the edge; datagrams are relayed per client session.</summary>
    [JsonStringEnumMemberName("udp")]
    Udp,
}
