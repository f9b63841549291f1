namespace TunnelOperator.Protocol;

/// <summary>Constants both ends of the agent-edge protocol agree on.</summary>
public static class WireProtocol
{
    /// <summary>Version of the control messages; bumped on incompatible changes.</summary>
    public const uint Version = 1;

    /// <summary>
    /// ALPN protocol id of an agent connection. The edge's public HTTPS port also offers it,
    /// so that agents behind firewalls that only allow 443 can connect there.
    /// </summary>
    public const string AlpnProtocol = "tunnelop-mux/1";

    public static readonly System.Net.Security.SslApplicationProtocol Alpn = new(AlpnProtocol);

    /// <summary>Default port of the dedicated control listener.</summary>
    public const int DefaultControlPort = 7777;

    /// <summary>Version string of this build, sent in hellos and shown by --version.</summary>
    public static string ProgramVersion { get; } =
        typeof(WireProtocol).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
