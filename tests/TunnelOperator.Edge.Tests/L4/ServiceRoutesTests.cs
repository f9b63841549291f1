using TunnelOperator.Edge.Tenants;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.L4;

public sealed class ServiceRoutesTests
{
    /// <summary>No connection behind it: opening a stream throws <see cref="ReachedException"/> naming the session, or IOException when it is closing.</summary>
    private sealed class FakeSession(Guid tenant, string id, bool closing = false) : IServiceSession
    {
        public string Id => id;
        public Guid TenantId => tenant;
        public string TenantName => "t";
        public ValueTask<MuxStream> OpenStreamAsync(StreamHeader header, CancellationToken cancellationToken) =>
            closing ? throw new IOException($"session {id} is closing") : throw new ReachedException(id);
    }

    private sealed class ReachedException(string id) : Exception(id);

    private static async Task<string> ReachedAsync(ServiceRoute route) =>
        (await Assert.ThrowsAsync<ReachedException>(() => route.OpenStreamAsync(new StreamHeader(), CancellationToken.None))).Message;

    private sealed class FakeListener : IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private readonly List<FakeListener> _listeners = [];

    private ServiceRoutes Routes(string? failWith = null) => new((route, _) =>
    {
        if (failWith is not null)
        {
            return Task.FromResult<(IAsyncDisposable?, string?)>((null, failWith));
        }

        var listener = new FakeListener();
        _listeners.Add(listener);
        return Task.FromResult<(IAsyncDisposable?, string?)>((listener, null));
    });

    [Theory]
    [InlineData("app.alice.example.eu", "app.alice.example.eu")]
    [InlineData("x.alice.example.eu", "*.alice.example.eu")]
    [InlineData("a.b.alice.example.eu", null)]
    [InlineData("alice.example.eu", null)]
    [InlineData("app.bob.example.eu", null)]
    [InlineData(null, null)]
    public void FindHost_PrefersTheExactName_AndAWildcardCoversOneLabel(string? serverName, string? expected)
    {
        var routes = Routes();
        var session = new FakeSession(Guid.NewGuid(), "s");
        routes.AddHost(session, "app.alice.example.eu", "app", TlsMode.Passthrough);
        routes.AddHost(session, "*.alice.example.eu", "any", TlsMode.Terminate);

        Assert.Equal(expected, routes.FindHost(serverName)?.Hostname);
    }

    [Fact]
    public async Task Streams_GoToTheSessionsInTurn()
    {
        var routes = Routes();
        var tenant = Guid.NewGuid();
        routes.AddHost(new FakeSession(tenant, "a"), "app.example.eu", "app", TlsMode.Passthrough);
        routes.AddHost(new FakeSession(tenant, "b"), "app.example.eu", "app", TlsMode.Passthrough);
        var route = routes.FindHost("app.example.eu")!;

        var picks = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            picks.Add(await ReachedAsync(route));
        }

        Assert.Equal(5, picks.Count(p => p == "a"));
        Assert.Equal(5, picks.Count(p => p == "b"));
    }

    [Fact]
    public async Task ASessionThatCannotTakeAStream_IsPassedOverForTheNextReplica()
    {
        var routes = Routes();
        var tenant = Guid.NewGuid();
        routes.AddHost(new FakeSession(tenant, "closing", closing: true), "app.example.eu", "app", TlsMode.Passthrough);
        routes.AddHost(new FakeSession(tenant, "live"), "app.example.eu", "app", TlsMode.Passthrough);
        var route = routes.FindHost("app.example.eu")!;

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("live", await ReachedAsync(route));
        }

        var alone = Routes();
        alone.AddHost(new FakeSession(tenant, "x", closing: true), "solo.example.eu", "solo", TlsMode.Passthrough);
        alone.AddHost(new FakeSession(tenant, "y", closing: true), "solo.example.eu", "solo", TlsMode.Passthrough);
        var failed = await Assert.ThrowsAsync<IOException>(() => alone.FindHost("solo.example.eu")!.OpenStreamAsync(new StreamHeader(), CancellationToken.None));
        Assert.Contains("none of the 2 agent sessions of tenant t could take a stream for solo", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherTenant_CannotJoinALiveRoute()
    {
        var routes = Routes();
        routes.AddHost(new FakeSession(Guid.NewGuid(), "a"), "app.example.eu", "app", TlsMode.Passthrough);
        await routes.AddPortAsync(new FakeSession(Guid.NewGuid(), "a2"), ServiceProtocol.Tcp, 2222, "ssh", CancellationToken.None);

        var other = new FakeSession(Guid.NewGuid(), "b");
        Assert.Equal(RouteVerdict.HeldByAnotherTenant, routes.AddHost(other, "app.example.eu", "app", TlsMode.Passthrough).Verdict);
        Assert.Equal(RouteVerdict.HeldByAnotherTenant, (await routes.AddPortAsync(other, ServiceProtocol.Tcp, 2222, "ssh", CancellationToken.None)).Verdict);
        Assert.Equal(RouteVerdict.Added, (await routes.AddPortAsync(other, ServiceProtocol.Udp, 2222, "dns", CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task APortsListener_OpensOnce_AndClosesWithItsLastSession()
    {
        var routes = Routes();
        var tenant = Guid.NewGuid();
        var a = new FakeSession(tenant, "a");
        var b = new FakeSession(tenant, "b");
        await routes.AddPortAsync(a, ServiceProtocol.Tcp, 2222, "ssh", CancellationToken.None);
        await routes.AddPortAsync(b, ServiceProtocol.Tcp, 2222, "ssh", CancellationToken.None);
        var listener = Assert.Single(_listeners);

        await routes.RemoveSessionAsync(a);
        Assert.False(listener.Disposed);
        Assert.NotNull(routes.FindPort(ServiceProtocol.Tcp, 2222));

        await routes.RemoveSessionAsync(b);
        Assert.True(listener.Disposed);
        Assert.Null(routes.FindPort(ServiceProtocol.Tcp, 2222));
    }

    [Fact]
    public async Task APortThatCannotBeOpened_IsRefusedWithTheReason()
    {
        var routes = Routes("the address is already in use");

        var result = await routes.AddPortAsync(new FakeSession(Guid.NewGuid(), "a"), ServiceProtocol.Udp, 5353, "dns", CancellationToken.None);

        Assert.Equal(RouteVerdict.PortUnavailable, result.Verdict);
        Assert.Contains("5353/udp", result.Reason, StringComparison.Ordinal);
        Assert.Contains("already in use", result.Reason, StringComparison.Ordinal);
    }
}
