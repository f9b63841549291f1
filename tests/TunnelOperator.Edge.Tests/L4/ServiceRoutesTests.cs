using TunnelOperator.Edge.Tenants;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.L4;

public sealed class ServiceRoutesTests
{
    private sealed class FakeSession(Guid tenant, string id) : IServiceSession
    {
        public string Id => id;
        public Guid TenantId => tenant;
        public string TenantName => "t";
        public ValueTask<MuxStream> OpenStreamAsync(StreamHeader header, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

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
    public void Pick_TakesTheSessionsInTurn()
    {
        var routes = Routes();
        var tenant = Guid.NewGuid();
        var a = new FakeSession(tenant, "a");
        var b = new FakeSession(tenant, "b");
        routes.AddHost(a, "app.example.eu", "app", TlsMode.Passthrough);
        routes.AddHost(b, "app.example.eu", "app", TlsMode.Passthrough);

        var picks = Enumerable.Range(0, 10).Select(_ => routes.FindHost("app.example.eu")!.Pick()!.Id).ToList();

        Assert.Equal(5, picks.Count(p => p == "a"));
        Assert.Equal(5, picks.Count(p => p == "b"));
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
