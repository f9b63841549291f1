using System.Net;

namespace TunnelOperator.Edge.Tenants;

/// <summary>
/// Settings of the L4 engine: the front door on the HTTPS port, declared TCP/UDP ports,
/// PROXY v2 from trusted load balancers, and the tenant hub.
/// </summary>
public sealed record L4Options
{
    /// <summary>Where declared TCP and UDP ports are opened.</summary>
    public IPAddress PortBindAddress { get; init; } = IPAddress.Any;

    /// <summary>Lets tenants claim ports below 1024.</summary>
    public bool AllowPrivilegedPorts { get; init; }

    /// <summary>
    /// Peers allowed (and then required) to send a PROXY v2 header first. Empty: nobody may,
    /// and a PROXY header from anyone is refused.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>How long a trusted peer has to deliver its whole PROXY header.</summary>
    public TimeSpan ProxyHeaderTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a client has to deliver its whole ClientHello on the HTTPS port.</summary>
    public TimeSpan ClientHelloTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxClientHelloBytes { get; init; } = FrontDoor.ClientHelloParser.DefaultMaxHelloBytes;

    /// <summary>A UDP client's session ends after this long without a datagram either way.</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Concurrent UDP clients per declared port; datagrams from more are dropped.</summary>
    public int MaxUdpSessionsPerPort { get; init; } = 1024;

    /// <summary>Concurrent TCP connections per declared port; more are closed at once.</summary>
    public int MaxConnectionsPerPort { get; init; } = 4096;

    /// <summary>
    /// Agent endpoints this edge advertises (recorded in the store; invites carry them).
    /// Empty: <c>https://&lt;base-host&gt;:&lt;control port&gt;</c>.
    /// </summary>
    public IReadOnlyList<string> AdvertiseUrls { get; init; } = [];

    /// <summary>The operator API key for the hub API; null: generated into &lt;data-dir&gt;/operator.key (0600).</summary>
    public string? OperatorKey { get; init; }

    public bool IsTrustedProxy(IPAddress address)
    {
        if (TrustedProxies.Count == 0)
        {
            return false;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in TrustedProxies)
        {
            if (network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }
}
