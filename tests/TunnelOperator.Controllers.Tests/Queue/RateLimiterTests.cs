using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Controllers.Queue;

namespace TunnelOperator.Controllers.Tests.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void Exponential_DoublesFrom5MsAndCapsAt1000s()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(RateLimiters.DefaultBaseDelay, RateLimiters.DefaultMaxDelay);

        var delays = Enumerable.Range(0, 5).Select(_ => limiter.When("a").TotalMilliseconds).ToList();
        for (var i = 5; i < 100; i++)
        {
            limiter.When("a");
        }

        Assert.Equal([5, 10, 20, 40, 80], delays);
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("other"));
        Assert.Equal(101, limiter.NumRequeues("a"));
    }

    [Fact]
    public void Exponential_ForgetStartsTheKeyOver()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1));
        limiter.When("a");
        limiter.When("a");

        limiter.Forget("a");

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
    }

    [Fact]
    public void Bucket_AllowsTheBurst_ThenPacesAtQps_AndRefillsWithTime()
    {
        var time = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<string>(qps: 10, burst: 100, time);

        var burst = Enumerable.Range(0, 100).Select(i => limiter.When($"k{i}")).ToList();
        var paced = new[] { limiter.When("x"), limiter.When("y") };
        time.Advance(TimeSpan.FromSeconds(1));
        var afterRefill = limiter.When("z");

        Assert.All(burst, d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], paced);
        Assert.Equal(TimeSpan.Zero, afterRefill); // 10 tokens came back, 2 were owed
        Assert.Equal(0, limiter.NumRequeues("x"));
    }

    [Fact]
    public void Default_IsTheLongerOfBackoffAndBucket()
    {
        var time = new FakeTimeProvider();
        var limiter = RateLimiters.Create<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), qps: 1, burst: 1, time);

        var first = limiter.When("a");   // backoff 5 ms, bucket has its token
        var second = limiter.When("b");  // backoff 5 ms, bucket owes 1 s
        var third = limiter.When("a");   // backoff 10 ms, bucket owes 2 s

        Assert.Equal(TimeSpan.FromMilliseconds(5), first);
        Assert.Equal(TimeSpan.FromSeconds(1), second);
        Assert.Equal(TimeSpan.FromSeconds(2), third);
        Assert.Equal(2, limiter.NumRequeues("a"));
    }
}
