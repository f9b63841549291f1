namespace TunnelOperator.Crds.Tunnels;

/// <summary>Condition types a <see cref="Tunnel"/> reports.</summary>
public static class TunnelConditions
{
    /// <summary>The public endpoint serves traffic.</summary>
    public const string Ready = "Ready";

    /// <summary>At least one agent holds a session with the edge.</summary>
    public const string Connected = "Connected";

    /// <summary>The custom hostname resolves to the edge.</summary>
    public const string DnsReady = "DNSReady";

    /// <summary>The edge holds a valid certificate for the custom hostname.</summary>
    public const string CertificateReady = "CertificateReady";
}
