using TunnelOperator.Protocol.Networking;

namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>
/// One <see cref="HttpClient"/> for every edge: connections resolve the admin Service's cluster DNS
/// name through <see cref="HostsOverride"/>, so the operator reaches edges under the local control
/// plane as it does in a cluster.
/// </summary>
internal sealed class EdgeAdminClientFactory : IEdgeAdminClientFactory, IDisposable
{
    /// <summary>How long one admin call may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;

    public EdgeAdminClientFactory(HostsOverride hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = 16,
            ConnectCallback = (context, ct) => hosts.ConnectStreamAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public IEdgeAdminClient Create(Uri endpoint, string adminToken) => new EdgeAdminClient(_http, endpoint, adminToken, RequestTimeout);

    public void Dispose() => _http.Dispose();
}
