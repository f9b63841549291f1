using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Operator.EdgeAdmin;

namespace TunnelOperator.Operator.Tests.EdgeAdmin;

public sealed class EdgeSnapshotCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task GetAsync_ConcurrentReconcilesShareOneFetch()
    {
        var client = new FakeEdgeAdmin();
        var cache = new EdgeSnapshotCache(_time, TimeSpan.FromSeconds(2));
        client.Hold();

        var all = Enumerable.Range(0, 20).Select(_ => cache.GetAsync("edge-uid", client, TestContext.Current.CancellationToken)).ToList();
        client.Release();
        var snapshots = await Task.WhenAll(all);

        Assert.Equal(1, client.TunnelFetches);
        Assert.All(snapshots, s => Assert.Same(snapshots[0], s));
    }

    [Fact]
    public async Task GetAsync_FetchesAgainAfterMaxAgeAndPerEdge()
    {
        var client = new FakeEdgeAdmin();
        var cache = new EdgeSnapshotCache(_time, TimeSpan.FromSeconds(2));
        var ct = TestContext.Current.CancellationToken;

        var first = await cache.GetAsync("edge-uid", client, ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(first, await cache.GetAsync("edge-uid", client, ct));
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.NotSame(first, await cache.GetAsync("edge-uid", client, ct));
        await cache.GetAsync("other-edge-uid", client, ct);

        Assert.Equal(3, client.TunnelFetches);
    }

    [Fact]
    public async Task GetAsync_AFailedFetchIsNotKept()
    {
        var client = new FakeEdgeAdmin { Failing = true };
        var cache = new EdgeSnapshotCache(_time, TimeSpan.FromSeconds(2));
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<EdgeAdminException>(() => cache.GetAsync("edge-uid", client, ct));
        client.Failing = false;
        var snapshot = await cache.GetAsync("edge-uid", client, ct);

        Assert.Equal(2, client.TunnelFetches);
        Assert.NotNull(snapshot.FindUser("shop@tunnels.edge.shop.tunneloperator.io"));
    }

    [Fact]
    public void Snapshot_KnowsTokensAndUsersTheOperatorAdds()
    {
        var id = Guid.NewGuid();
        var snapshot = new EdgeSnapshot(_time.GetUtcNow(), [], [], []);

        snapshot.Add(new EdgeToken { Id = id, Name = "tunnel/uid", UserEmail = "a@b.c" });
        snapshot.Add(new EdgeUser { Id = Guid.NewGuid(), Email = "A@b.c", Slug = "a-1234" });

        Assert.True(snapshot.HasToken(id));
        Assert.Equal(id, Assert.Single(snapshot.TokensNamed("tunnel/uid")).Id);
        Assert.Equal("a-1234", snapshot.FindUser("a@B.C")!.Slug);
        snapshot.Remove(id);
        Assert.False(snapshot.HasToken(id));
    }

    private sealed class FakeEdgeAdmin : IEdgeAdminClient
    {
        private TaskCompletionSource _gate = CompletedGate();
        private int _tunnelFetches;

        public int TunnelFetches => Volatile.Read(ref _tunnelFetches);

        public bool Failing { get; set; }

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

        public async Task<IReadOnlyList<EdgeTunnel>> ListTunnelsAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _tunnelFetches);
            await _gate.Task;
            return Failing ? throw new EdgeAdminException("connection refused", null) : [];
        }

        public Task<IReadOnlyList<EdgeUser>> ListUsersAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EdgeUser>>([new EdgeUser { Id = Guid.NewGuid(), Email = "shop@tunnels.edge.shop.tunneloperator.io", Slug = "shop-1a2b" }]);

        public Task<EdgeUser> CreateUserAsync(string email, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<EdgeToken>> ListTokensAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<EdgeToken>>([]);

        public Task<IssuedEdgeToken> IssueTokenAsync(string email, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> RevokeTokenAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }
}
