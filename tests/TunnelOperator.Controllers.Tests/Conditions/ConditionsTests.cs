using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Tests;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, 500, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void Set_NewCondition_StampsNowInWholeSeconds()
    {
        var conditions = Conditions.Set(null, "Ready", ConditionStatus.False, "EdgeNotFound", "edge 'a' does not exist", observedGeneration: 3, _time);

        var ready = Assert.Single(conditions);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), ready.LastTransitionTime);
        Assert.Equal((3L, "EdgeNotFound"), (ready.ObservedGeneration!.Value, ready.Reason));
    }

    [Fact]
    public void Set_SameStatus_KeepsTheTransitionTime_ButTakesReasonMessageAndGeneration()
    {
        var first = Conditions.Set(null, "Ready", ConditionStatus.False, "EdgeNotFound", "waiting", 1, _time);
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = Conditions.Set(first, "Ready", ConditionStatus.False, "EdgeNotReady", "edge starting", 2, _time);

        var ready = Assert.Single(second);
        Assert.Equal(first[0].LastTransitionTime, ready.LastTransitionTime);
        Assert.Equal(("EdgeNotReady", "edge starting", 2L), (ready.Reason, ready.Message, ready.ObservedGeneration!.Value));
    }

    [Fact]
    public void Set_FlippedStatus_MovesTheTransitionTime()
    {
        var first = Conditions.Set(null, "Ready", ConditionStatus.False, "EdgeNotFound", null, 1, _time);
        _time.Advance(TimeSpan.FromMinutes(5));

        var flipped = Conditions.Set(first, "Ready", ConditionStatus.True, "Connected", null, 1, _time);

        Assert.Equal(first[0].LastTransitionTime!.Value.AddMinutes(5), flipped[0].LastTransitionTime);
    }

    [Fact]
    public void Set_NothingChanged_IsEquivalent_SoNoStatusWriteFollows()
    {
        var first = Conditions.Set(null, "Ready", ConditionStatus.True, "Connected", "ok", 4, _time);
        var both = Conditions.Set(first, "Connected", ConditionStatus.True, "AgentsConnected", "2 agents", 4, _time);
        _time.Advance(TimeSpan.FromHours(1));

        var again = Conditions.Set(Conditions.Set(both, "Ready", ConditionStatus.True, "Connected", "ok", 4, _time), "Connected", ConditionStatus.True, "AgentsConnected", "2 agents", 4, _time);

        Assert.True(Conditions.Equivalent(both, again));
        Assert.True(Conditions.Equivalent(both, [.. again.Reverse()]));
        Assert.False(Conditions.Equivalent(both, first));
    }

    [Fact]
    public void Set_ReplacesOnlyItsType_AndRemoveDropsOne()
    {
        var conditions = Conditions.Set(null, "Ready", ConditionStatus.True, "Connected", null, 1, _time);
        conditions = Conditions.Set(conditions, "DNSReady", ConditionStatus.Unknown, "Pending", null, 1, _time);
        conditions = Conditions.Set(conditions, "Ready", ConditionStatus.False, "Disconnected", null, 1, _time);

        Assert.Equal(["Ready", "DNSReady"], conditions.Select(c => c.Type));
        Assert.True(Conditions.IsFalse(conditions, "Ready"));
        Assert.True(Conditions.IsUnknown(conditions, "DNSReady"));
        Assert.True(Conditions.IsUnknown(conditions, "CertificateReady"));
        Assert.False(Conditions.IsTrue(conditions, "Ready"));
        Assert.Equal(["Ready"], Conditions.Remove(conditions, "DNSReady").Select(c => c.Type));
    }

    [Theory]
    [InlineData("EdgeNotFound", true)]
    [InlineData("Ready", true)]
    [InlineData("TLS13Only", true)]
    [InlineData("edgeNotFound", false)]
    [InlineData("Edge_Not_Found", false)]
    [InlineData("Edge Not Found", false)]
    [InlineData("Edge,NotFound", false)]
    [InlineData("", false)]
    public void Reasons_MustBePascalCase(string reason, bool valid)
    {
        Assert.Equal(valid, Conditions.IsValidReason(reason));
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => Conditions.Set(null, "Ready", ConditionStatus.True, reason, null, 1, _time));
        }
    }

    [Theory]
    [InlineData("Ready", "Maybe")]
    [InlineData("not a type", "True")]
    [InlineData("", "True")]
    public void Validate_RefusesBadTypesAndStatuses(string type, string status) =>
        Assert.Throws<ArgumentException>(() => Conditions.Validate(new Condition { Type = type, Status = status, Reason = "Fine" }));
}
