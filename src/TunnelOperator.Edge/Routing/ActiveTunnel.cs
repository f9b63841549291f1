using System.Net;
using TunnelOperator.Edge.Forwarding;
using TunnelOperator.Edge.Sessions;

namespace TunnelOperator.Edge.Routing;

/// <summary>
/// A tunnel that is live on this edge: a subdomain bound to one agent session. Owns the
/// per-tunnel request limit and the HTTP client whose connections are mux streams to the agent.
/// </summary>
public sealed class ActiveTunnel : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private readonly int _maxConcurrent;
    private int _inFlight;
    private HttpMessageInvoker? _invoker;

    public ActiveTunnel(ITunnelSession session, string subdomain, string? name, string publicUrl, string target, int maxConcurrent)
    {
        Session = session;
        Subdomain = subdomain;
        Name = name;
        PublicUrl = publicUrl;
        Target = target;
        _maxConcurrent = maxConcurrent;
    }

    public string Id { get; } = Guid.NewGuid().ToString();
    public ITunnelSession Session { get; }
    public string Subdomain { get; }
    /// <summary>The persistent name, or null for a random tunnel.</summary>
    public string? Name { get; }
    public string PublicUrl { get; }
    public string Target { get; }
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Cancelled when the tunnel goes away; in-flight requests observe it.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Takes a request slot; false when the tunnel is at its concurrent-request capacity.</summary>
    public bool TryEnterRequest()
    {
        if (Interlocked.Increment(ref _inFlight) > _maxConcurrent)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return true;
    }

    public void ExitRequest() => Interlocked.Decrement(ref _inFlight);

    /// <summary>The forwarding client: every new pooled connection is a new mux stream to the agent.</summary>
    public HttpMessageInvoker Invoker => Volatile.Read(ref _invoker) ?? LazyInitializer.EnsureInitialized(ref _invoker, CreateInvoker);

    private HttpMessageInvoker CreateInvoker()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = false,
            // Each connection is cheap (a stream on an existing session); the per-tunnel
            // limit is enforced by TryEnterRequest, not by the pool.
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ResponseDrainTimeout = TimeSpan.FromSeconds(2),
            MaxResponseHeadersLength = 64,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var client = context.InitialRequestMessage is ForwardedRequest forwarded ? forwarded.ClientAddress : string.Empty;
                return await Session.OpenDataStreamAsync(this, client, cancellationToken).ConfigureAwait(false);
            },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        await _closed.CancelAsync().ConfigureAwait(false);
        _invoker?.Dispose();
    }
}
