using TunnelOperator.Edge.Routing;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class TunnelRegistryTests
{
    private readonly TunnelRegistry _registry = new();
    private readonly FakeTunnelSession _alice = new("alice@example.com");
    private readonly FakeTunnelSession _aliceDesktop = new("alice@example.com");
    private readonly FakeTunnelSession _bob = new("bob@example.com");

    [Fact]
    public void TryRegister_FreeSubdomain_Registers()
    {
        var tunnel = _alice.Tunnel("laptop-alice");
        Assert.Equal(RegisterOutcome.Registered, _registry.TryRegister(tunnel, takeover: false).Outcome);
        Assert.True(_registry.TryGet("laptop-alice", out var found));
        Assert.Same(tunnel, found);
    }

    [Fact]
    public void TryRegister_HeldSubdomainWithoutTakeover_ConflictsAndKeepsTheHolder()
    {
        var first = _alice.Tunnel("laptop-alice");
        _registry.TryRegister(first, false);
        var result = _registry.TryRegister(_alice.Tunnel("laptop-alice"), takeover: false);
        Assert.Equal(RegisterOutcome.Conflict, result.Outcome);
        Assert.Same(first, result.Holder);
        Assert.True(_registry.TryGet("laptop-alice", out var found));
        Assert.Same(first, found);
    }

    [Fact]
    public void TryRegister_TakeoverBySameUser_EvictsTheHolder()
    {
        var first = _alice.Tunnel("laptop-alice");
        _registry.TryRegister(first, false);
        var second = _aliceDesktop.Tunnel("laptop-alice");
        // same user id: the fake sessions of one email share nothing, so give the second the first's user
        var sameUser = new ActiveTunnel(new SameUserSession(_alice), "laptop-alice", "laptop", "u", "t", 1);
        var result = _registry.TryRegister(sameUser, takeover: true);
        Assert.Equal(RegisterOutcome.Registered, result.Outcome);
        Assert.Same(first, result.Evicted);
        Assert.True(_registry.TryGet("laptop-alice", out var found));
        Assert.Same(sameUser, found);
        Assert.NotNull(second);
    }

    [Fact]
    public void TryRegister_TakeoverByAnotherUser_IsRefused()
    {
        var first = _alice.Tunnel("shared");
        _registry.TryRegister(first, false);
        var result = _registry.TryRegister(_bob.Tunnel("shared"), takeover: true);
        Assert.Equal(RegisterOutcome.Conflict, result.Outcome);
        Assert.True(_registry.TryGet("shared", out var found));
        Assert.Same(first, found);
    }

    [Fact]
    public void Remove_AfterTakeover_DoesNotRemoveTheNewHolder()
    {
        var first = _alice.Tunnel("laptop-alice");
        _registry.TryRegister(first, false);
        var second = new ActiveTunnel(new SameUserSession(_alice), "laptop-alice", "laptop", "u", "t", 1);
        _registry.TryRegister(second, true);
        Assert.False(_registry.Remove(first));
        Assert.True(_registry.TryGet("laptop-alice", out var found));
        Assert.Same(second, found);
        Assert.True(_registry.Remove(second));
        Assert.Equal(0, _registry.Count);
    }

    [Fact]
    public async Task TryRegister_ManyConcurrentClaimsOfOneName_HaveExactlyOneWinner()
    {
        var sessions = Enumerable.Range(0, 64).Select(i => new FakeTunnelSession($"user{i}@example.com")).ToArray();
        using var start = new ManualResetEventSlim();
        var tasks = sessions.Select(s => Task.Run(() =>
        {
            start.Wait();
            return _registry.TryRegister(s.Tunnel("contested"), takeover: false).Outcome;
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(tasks);
        Assert.Equal(1, outcomes.Count(o => o == RegisterOutcome.Registered));
    }

    [Fact]
    public void TryEnterRequest_PastTheLimit_IsRefusedUntilASlotFrees()
    {
        var tunnel = _alice.Tunnel("limited", maxConcurrent: 2);
        Assert.True(tunnel.TryEnterRequest());
        Assert.True(tunnel.TryEnterRequest());
        Assert.False(tunnel.TryEnterRequest());
        Assert.Equal(2, tunnel.InFlight);
        tunnel.ExitRequest();
        Assert.True(tunnel.TryEnterRequest());
    }

    private sealed class SameUserSession(FakeTunnelSession of) : TunnelOperator.Edge.Sessions.ITunnelSession
    {
        public string Id { get; } = Guid.NewGuid().ToString();
        public TunnelOperator.Store.UserRecord User => of.User;
        public string ClientVersion => "test";
        public string PeerAddress => "127.0.0.1:2";
        public ValueTask<Stream> OpenDataStreamAsync(ActiveTunnel tunnel, string clientAddress, CancellationToken cancellationToken) => throw new IOException();
        public Task EvictAsync(ActiveTunnel tunnel, TunnelOperator.Protocol.V1.CancelReason reason, string message, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
