using TunnelOperator.Agent.Connection;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class BackoffTests
{
    [Fact]
    public void Next_WithoutJitter_DoublesFromOneSecondAndCapsAtSixty()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 0.5);
        var delays = Enumerable.Range(0, 9).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
    }

    [Fact]
    public void Next_WithJitter_StaysWithinTwentyPercentAndUnderTheCap()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        for (var i = 0; i < 12; i++)
        {
            var expected = Math.Min(Math.Pow(2, i), 60);
            var delay = backoff.Next().TotalSeconds;
            Assert.InRange(delay, expected * 0.8, Math.Min(expected * 1.2, 60));
        }
    }

    [Fact]
    public void Reset_StartsAgainFromOneSecond()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 0.5);
        backoff.Next();
        backoff.Next();
        backoff.Reset();
        Assert.Equal(1, backoff.Next().TotalSeconds);
    }
}
