using TunnelOperator.Controllers.Events;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Events;

public sealed class EventCorrelatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly ObjectReference Tunnel = new() { ApiVersion = "tunneloperator.io/v1alpha1", Kind = "Tunnel", Namespace = "apps", Name = "web", Uid = "u1" };
    private static readonly ObjectReference Other = Tunnel with { Name = "api", Uid = "u2" };

    [Fact]
    public void Repeats_WithinTheWindow_BumpOneEvent()
    {
        var correlator = new EventCorrelator(4096, TimeSpan.FromMinutes(10));

        var first = correlator.Correlate(Tunnel, EventTypes.Warning, "EdgeNotFound", "no edge 'a'", T0);
        var second = correlator.Correlate(Tunnel, EventTypes.Warning, "EdgeNotFound", "no edge 'a'", T0.AddMinutes(4));
        var third = correlator.Correlate(Tunnel, EventTypes.Warning, "EdgeNotFound", "no edge 'a'", T0.AddMinutes(13));

        Assert.True(first.IsNew);
        Assert.Equal((false, first.Name, 2, T0, T0.AddMinutes(4)), (second.IsNew, second.Name, second.Count, second.FirstTimestamp, second.LastTimestamp));
        Assert.Equal((false, 3), (third.IsNew, third.Count)); // within 10 minutes of the last one
        Assert.StartsWith("web.", first.Name, StringComparison.Ordinal);
        Assert.Equal("apps", first.Namespace);
    }

    [Fact]
    public void AnotherMessageReasonTypeOrObject_IsAnotherEvent()
    {
        var correlator = new EventCorrelator(4096, TimeSpan.FromMinutes(10));
        var first = correlator.Correlate(Tunnel, EventTypes.Warning, "EdgeNotFound", "no edge 'a'", T0);

        var plans = new[]
        {
            correlator.Correlate(Tunnel, EventTypes.Warning, "EdgeNotFound", "no edge 'b'", T0),
            correlator.Correlate(Tunnel, EventTypes.Warning, "EdgeMissing", "no edge 'a'", T0),
            correlator.Correlate(Tunnel, EventTypes.Normal, "EdgeNotFound", "no edge 'a'", T0),
            correlator.Correlate(Other, EventTypes.Warning, "EdgeNotFound", "no edge 'a'", T0),
        };

        Assert.All(plans, p => Assert.True(p.IsNew));
        Assert.Equal(5, plans.Select(p => p.Name).Append(first.Name).Distinct().Count());
    }

    [Fact]
    public void AfterTheWindow_ANewEventStarts()
    {
        var correlator = new EventCorrelator(4096, TimeSpan.FromMinutes(10));
        var first = correlator.Correlate(Tunnel, EventTypes.Normal, "Connected", "agent up", T0);

        var later = correlator.Correlate(Tunnel, EventTypes.Normal, "Connected", "agent up", T0.AddMinutes(11));

        Assert.True(later.IsNew);
        Assert.NotEqual(first.Name, later.Name);
        Assert.Equal(1, later.Count);
    }

    [Fact]
    public void Cache_IsBounded_LeastRecentlySeenGoesFirst()
    {
        var correlator = new EventCorrelator(2, TimeSpan.FromMinutes(10));
        correlator.Correlate(Tunnel, EventTypes.Normal, "A", "a", T0);
        correlator.Correlate(Tunnel, EventTypes.Normal, "B", "b", T0);
        correlator.Correlate(Tunnel, EventTypes.Normal, "A", "a", T0); // A is now the most recent

        correlator.Correlate(Tunnel, EventTypes.Normal, "C", "c", T0);   // evicts B

        Assert.Equal(2, correlator.Count);
        Assert.False(correlator.Correlate(Tunnel, EventTypes.Normal, "A", "a", T0).IsNew);
        Assert.True(correlator.Correlate(Tunnel, EventTypes.Normal, "B", "b", T0).IsNew);
    }

    [Fact]
    public void Restart_AfterTheEventVanished_CreatesAFreshOne()
    {
        var correlator = new EventCorrelator(4096, TimeSpan.FromMinutes(10));
        var first = correlator.Correlate(Tunnel, EventTypes.Normal, "Synced", "ok", T0);
        correlator.Correlate(Tunnel, EventTypes.Normal, "Synced", "ok", T0);

        var restarted = correlator.Restart(Tunnel, EventTypes.Normal, "Synced", "ok", T0);

        Assert.Equal((true, 1), (restarted.IsNew, restarted.Count));
        Assert.NotEqual(first.Name, restarted.Name); // same clock tick, still a distinct name
    }

    [Fact]
    public void ClusterScopedObjects_FileTheirEventsInDefault()
    {
        var correlator = new EventCorrelator(16, TimeSpan.FromMinutes(10));

        var plan = correlator.Correlate(new ObjectReference { ApiVersion = "v1", Kind = "Namespace", Name = "apps" }, EventTypes.Normal, "Seen", "x", T0);

        Assert.Equal("default", plan.Namespace);
    }
}
