using TunnelOperator.Edge.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

public sealed class ForwardServerRegistryTests
{
    private static readonly DateTimeOffset Noon = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Find_TellsUnknownOnlineAndOfflineApart()
    {
        var registry = new ForwardServerRegistry();
        var owner = Guid.NewGuid();
        var session = Session();
        Assert.Equal(ForwardServerLookup.Unknown, registry.Find("db.alice-7f0c").State);

        Assert.True(registry.TryRegister("db.alice-7f0c", owner, session));
        var online = registry.Find("db.alice-7f0c");
        Assert.Equal(ForwardServerLookup.Online, online.State);
        Assert.Same(session, online.Session);

        registry.Unregister("db.alice-7f0c", session, Noon);
        var offline = registry.Find("db.alice-7f0c");
        Assert.Equal(ForwardServerLookup.Offline, offline.State);
        Assert.Equal(Noon, offline.LastSeen);
        Assert.Null(offline.Session);
    }

    [Fact]
    public void NewestSessionServes_AndTheOlderTakesOverWhenItLeaves()
    {
        var registry = new ForwardServerRegistry();
        var owner = Guid.NewGuid();
        var (old, restarted) = (Session(), Session());
        registry.TryRegister("db.alice-7f0c", owner, old);
        registry.TryRegister("db.alice-7f0c", owner, restarted);
        Assert.Same(restarted, registry.Find("db.alice-7f0c").Session);

        registry.Unregister("db.alice-7f0c", restarted, Noon);
        Assert.Same(old, registry.Find("db.alice-7f0c").Session);
        Assert.Equal(1, registry.OnlineCount);
    }

    [Fact]
    public void AnotherUser_CannotServeAnID_EvenWhileItIsOffline()
    {
        var registry = new ForwardServerRegistry();
        var session = Session();
        registry.TryRegister("db.alice-7f0c", Guid.NewGuid(), session);
        registry.Unregister("db.alice-7f0c", session, Noon);
        Assert.False(registry.TryRegister("db.alice-7f0c", Guid.NewGuid(), Session()));
        Assert.Equal(ForwardServerLookup.Offline, registry.Find("db.alice-7f0c").State);
    }

    [Theory]
    [InlineData("db", true)]
    [InlineData("cluster-a-2", true)]
    [InlineData("0", true)]
    [InlineData("", false)]
    [InlineData("-db", false)]
    [InlineData("db-", false)]
    [InlineData("DB", false)]
    [InlineData("db.prod", false)]
    [InlineData("a-very-long-name-that-is-too-long-x", false)]
    public void Names_FollowTheLabelRules(string name, bool valid)
    {
        Assert.Equal(valid, ForwardServerNames.TryValidateName(name, out var problem));
        Assert.Equal(valid, problem.Length == 0);
    }

    private static FakeServerSession Session() => new();

    private sealed class FakeServerSession : IForwardServerSession
    {
        public ValueTask<TunnelOperator.Mux.MuxStream> OpenForwardStreamAsync(string serverId, AgentForwards from, CancellationToken cancellationToken) =>
            throw new IOException("fake sessions carry no data");
    }
}
