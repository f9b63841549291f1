using TunnelOperator.Edge.Routing;
using TunnelOperator.Edge.Sessions;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;

namespace TunnelOperator.Edge.Tests.Support;

/// <summary>A session with no connection behind it, for registry and routing unit tests.</summary>
internal sealed class FakeTunnelSession(string email) : ITunnelSession
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public UserRecord User { get; } = new(Guid.NewGuid(), email, email.Split('@')[0] + "-0000", DateTimeOffset.UnixEpoch);
    public string ClientVersion => "test";
    public string PeerAddress => "127.0.0.1:1";
    public List<(ActiveTunnel Tunnel, CancelReason Reason)> Evictions { get; } = [];

    public ValueTask<Stream> OpenDataStreamAsync(ActiveTunnel tunnel, string clientAddress, CancellationToken cancellationToken) =>
        throw new IOException("fake sessions carry no data");

    public Task EvictAsync(ActiveTunnel tunnel, CancelReason reason, string message, CancellationToken cancellationToken)
    {
        Evictions.Add((tunnel, reason));
        return Task.CompletedTask;
    }

    public ActiveTunnel Tunnel(string subdomain, int maxConcurrent = 256) =>
        new(this, subdomain, subdomain, $"https://{subdomain}.example/", "http://127.0.0.1:1/", maxConcurrent);
}
