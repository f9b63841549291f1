using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Controllers;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Operator.EdgeAdmin;
using TunnelOperator.Operator.Tests.Support;
using TunnelOperator.Operator.Tunnels;

namespace TunnelOperator.Operator.Tests.Tunnels;

public sealed class TunnelStatusPlannerTests
{
    private static readonly Guid Ours = Guid.NewGuid();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static EdgeTunnel Row(string subdomain, Guid token, string? name = "shop") => new()
    {
        Subdomain = subdomain,
        PublicUrl = $"https://{subdomain}.tunnels.example.com/",
        Name = name,
        UserEmail = "shop@tunnels.edge.shop.tunneloperator.io",
        Target = "http://web.shop.svc.cluster.local:80",
        TokenId = token,
    };

    private static readonly Dictionary<string, (TunnelProtocol Protocol, TunnelObservation Observed, string Reason)> Cases = new()
    {
        ["connected"] = (TunnelProtocol.Http, new() { EdgeExists = true, Connected = [Row("shop-shop-1a2b", Ours)] }, TunnelReasons.AgentConnected),
        ["no agent yet"] = (TunnelProtocol.Http, new() { EdgeExists = true }, TunnelReasons.AgentNotConnected),
        ["name held elsewhere"] = (TunnelProtocol.Http, new() { EdgeExists = true, NameHolder = Row("shop-shop-1a2b", Guid.NewGuid()) }, TunnelReasons.NameConflict),
        ["no edge"] = (TunnelProtocol.Http, new() { EdgeExists = false }, TunnelReasons.EdgeNotFound),
        ["edge unreachable"] = (TunnelProtocol.Https, new() { EdgeExists = true, EdgeProblem = "connection refused" }, TunnelReasons.EdgeNotReady),
        ["no service"] = (TunnelProtocol.Http, new() { EdgeExists = true, TargetProblem = "Service shop/web does not exist" }, TunnelReasons.InvalidTarget),
        ["broken rule"] = (TunnelProtocol.Http, new() { EdgeExists = true, Violations = [new SpecViolation("spec.target", "exactly one of service or url must be set")] }, TunnelReasons.InvalidTarget),
        ["child of another"] = (TunnelProtocol.Http, new() { EdgeExists = true, ChildProblem = "Deployment shop/web-agent is controlled by EdgeNode web" }, TunnelReasons.ChildConflict),
        ["tcp"] = (TunnelProtocol.Tcp, new() { EdgeExists = true }, TunnelReasons.UnsupportedProtocol),
        ["udp"] = (TunnelProtocol.Udp, new() { EdgeExists = false }, TunnelReasons.UnsupportedProtocol),
        ["passthrough"] = (TunnelProtocol.TlsPassthrough, new() { EdgeExists = true }, TunnelReasons.UnsupportedProtocol),
        // Precedence: the first that holds wins.
        ["invalid and no edge"] = (TunnelProtocol.Http, new() { EdgeExists = false, Violations = [new SpecViolation("spec.takeover", "takeover needs a name")] }, TunnelReasons.InvalidTarget),
        ["no edge and no service"] = (TunnelProtocol.Http, new() { EdgeExists = false, TargetProblem = "no service" }, TunnelReasons.EdgeNotFound),
        ["connected beats a holder"] = (TunnelProtocol.Http, new() { EdgeExists = true, Connected = [Row("shop-shop-1a2b", Ours)], NameHolder = Row("x", Guid.NewGuid()) }, TunnelReasons.AgentConnected),
    };

    public static TheoryData<string> Reasons => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Plan_ReadyReasonFollowsTheFirstProblemFound(string name)
    {
        var (protocol, observed, reason) = Cases[name];
        var tunnel = TestObjects.Tunnel(spec: s => s with { Protocol = protocol });

        var status = TunnelStatusPlanner.Plan(tunnel, observed, _time);

        var ready = Conditions.Find(status.Conditions, TunnelConditions.Ready)!;
        Assert.Equal(reason, ready.Reason);
        Assert.Equal(reason == TunnelReasons.AgentConnected ? "True" : "False", ready.Status);
        Assert.Equal(2, ready.ObservedGeneration);
        Assert.Equal(2, status.ObservedGeneration);
        Assert.Equal("edge", status.Edge);
        Assert.True(Conditions.IsValidReason(ready.Reason));
        Assert.False(string.IsNullOrEmpty(ready.Message));
    }

    [Fact]
    public void Plan_Connected_ReportsTheEdgesUrlSubdomainAndAgentCount()
    {
        var observed = new TunnelObservation { EdgeExists = true, Connected = [Row("shop-shop-1a2b", Ours), Row("shop-shop-1a2b", Ours)] };

        var status = TunnelStatusPlanner.Plan(TestObjects.Tunnel(), observed, _time);

        Assert.Equal("https://shop-shop-1a2b.tunnels.example.com/", status.PublicUrl);
        Assert.Equal("shop-shop-1a2b", status.Subdomain);
        Assert.Equal(2, status.ConnectedAgents);
        Assert.True(Conditions.IsTrue(status.Conditions, TunnelConditions.Connected));
    }

    [Fact]
    public void Plan_NotConnected_HasNoUrlAndConnectedFalse()
    {
        var status = TunnelStatusPlanner.Plan(TestObjects.Tunnel(), new TunnelObservation { EdgeExists = true }, _time);
        var unknown = TunnelStatusPlanner.Plan(TestObjects.Tunnel(), new TunnelObservation { EdgeExists = true, EdgeProblem = "timeout" }, _time);

        Assert.Null(status.PublicUrl);
        Assert.Equal(0, status.ConnectedAgents);
        Assert.Null(unknown.ConnectedAgents);
        Assert.Equal(TunnelReasons.AgentNotConnected, Conditions.Find(status.Conditions, TunnelConditions.Connected)!.Reason);
        Assert.True(Conditions.IsFalse(status.Conditions, TunnelConditions.Connected));
    }

    [Fact]
    public void Plan_ZeroReplicasSaysSo()
    {
        var tunnel = TestObjects.Tunnel(spec: s => s with { Agent = new TunnelAgentSpec { Replicas = 0 } });

        var status = TunnelStatusPlanner.Plan(tunnel, new TunnelObservation { EdgeExists = true }, _time);

        Assert.Contains("replicas is 0", Conditions.Find(status.Conditions, TunnelConditions.Ready)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnsupportedProtocol_PointsAtTenantInvites()
    {
        var status = TunnelStatusPlanner.Plan(TestObjects.Tunnel(spec: s => s with { Protocol = TunnelProtocol.Tcp, PublicPort = 2222 }), new TunnelObservation(), _time);

        Assert.Contains("tenant invites", Conditions.Find(status.Conditions, TunnelConditions.Ready)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TransitionTimeMovesOnlyOnAFlip()
    {
        var tunnel = TestObjects.Tunnel();
        var waiting = TunnelStatusPlanner.Plan(tunnel, new TunnelObservation { EdgeExists = true }, _time);
        _time.Advance(TimeSpan.FromSeconds(30));
        var stillWaiting = TunnelStatusPlanner.Plan(tunnel with { Status = waiting }, new TunnelObservation { EdgeExists = true, EdgeProblem = "timeout" }, _time);
        _time.Advance(TimeSpan.FromSeconds(30));
        var connected = TunnelStatusPlanner.Plan(tunnel with { Status = stillWaiting }, new TunnelObservation { EdgeExists = true, Connected = [Row("a", Ours)] }, _time);

        var first = Conditions.Find(waiting.Conditions, TunnelConditions.Ready)!.LastTransitionTime;
        Assert.Equal(first, Conditions.Find(stillWaiting.Conditions, TunnelConditions.Ready)!.LastTransitionTime);
        Assert.Equal(first!.Value.AddMinutes(1), Conditions.Find(connected.Conditions, TunnelConditions.Ready)!.LastTransitionTime);
    }
}
