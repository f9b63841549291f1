using System.Net;

namespace TunnelOperator.Edge;

/// <summary>Everything <c>tunneld serve</c> is configured with (flags or TUNNELD_* variables).</summary>
public sealed record EdgeOptions
{
    /// <summary>Public hostnames are <c>&lt;subdomain&gt;.&lt;BaseHost&gt;</c>.</summary>
    public string BaseHost { get; init; } = "localhost";

    /// <summary>
    /// True for the base host, <c>localhost</c>, and every name under either: the edge's own
    /// names (HTTP tunnels, the hub), which no tenant may claim. A wildcard (<c>*.zone</c>)
    /// counts as the zone it covers, so <c>*.&lt;BaseHost&gt;</c> is the edge's too.
    /// </summary>
    public bool IsEdgeName(string hostname)
    {
        var name = hostname.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return InZone(name, BaseHost.ToLowerInvariant()) || InZone(name, "localhost");

        static bool InZone(string name, string zone) => name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);
    }

    public IPEndPoint? HttpEndPoint { get; init; } = new(IPAddress.Any, 80);
    public IPEndPoint? HttpsEndPoint { get; init; } = new(IPAddress.Any, 443);
    public IPEndPoint? ControlEndPoint { get; init; } = new(IPAddress.Any, 7777);
    public IPEndPoint? AdminEndPoint { get; init; } = new(IPAddress.Loopback, 9090);

    public string DataDirectory { get; init; } = "data";
    public string? DatabaseUrl { get; init; }

    /// <summary>PEM certificate and key to serve; when absent a CA and certificates are generated.</summary>
    public string? TlsCertificatePath { get; init; }
    public string? TlsKeyPath { get; init; }

    /// <summary>
    /// A PEM CA (certificate and key) to issue certificates from instead of generating one into the
    /// data directory, so that every replica and every agent share one root (the operator keeps it in
    /// a Secret).
    /// </summary>
    public string? TlsCaCertificatePath { get; init; }
    public string? TlsCaKeyPath { get; init; }

    /// <summary>
    /// Names besides the base host's that the CA issues certificates for, e.g. the in-cluster DNS
    /// names of the edge's Service that agents dial. Nothing else is ever issued for an arbitrary SNI.
    /// </summary>
    public IReadOnlyList<string> TlsNames { get; init; } = [];

    /// <summary>In-flight public requests allowed per tunnel before answering 503.</summary>
    public int MaxConcurrentRequestsPerTunnel { get; init; } = 256;

    /// <summary>Largest request body forwarded; larger bodies get 413. Null means unlimited.</summary>
    public long? MaxRequestBodyBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Bearer token for /admin/*; when null one is generated into &lt;data-dir&gt;/admin.token.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Port shown in public URLs; defaults to the HTTPS listener's port.</summary>
    public int? PublicPort { get; init; }

    /// <summary>How often live sessions re-check that their token still exists.</summary>
    public TimeSpan TokenRecheckInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long SIGTERM waits for in-flight requests before cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time an agent has to complete its hello after the TLS handshake.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public Uri? OtlpEndpoint { get; init; }

    /// <summary>The L4 engine: front door, declared TCP/UDP ports, trusted proxies, tenant hub.</summary>
    public Tenants.L4Options L4 { get; init; } = new();

    /// <summary>The URL a tunnel with the given subdomain is reachable at.</summary>
    public string PublicUrlFor(string subdomain)
    {
        var (scheme, port) = HttpsEndPoint is not null
            ? ("https", PublicPort ?? HttpsEndPoint.Port)
            : ("http", PublicPort ?? HttpEndPoint?.Port ?? 80);
        var defaultPort = scheme == "https" ? 443 : 80;
        return port == defaultPort
            ? $"{scheme}://{subdomain}.{BaseHost}/"
            : $"{scheme}://{subdomain}.{BaseHost}:{port}/";
    }
}
