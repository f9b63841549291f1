using System.Diagnostics.Metrics;
using TunnelOperator.Controllers.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Controllers.Queue;

namespace TunnelOperator.Controllers.Tests.Queue;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _time = new();

    private WorkQueue<string> Queue(IRateLimiter<string>? limiter = null, Meter? meter = null) =>
        new(new WorkQueueOptions<string> { Name = "test", TimeProvider = _time, RateLimiter = limiter, Meter = meter });

    [Fact]
    public async Task Add_SameKeyTwice_IsQueuedOnceInOrder()
    {
        using var queue = Queue();

        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", (await queue.GetAsync()).Key);
        Assert.Equal("b", (await queue.GetAsync()).Key);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Get_KeyInFlight_IsNotHandedOutAgainUntilDone()
    {
        using var queue = Queue();
        queue.Add("a");
        var (first, _) = await queue.GetAsync();

        queue.Add("a");
        var second = queue.GetAsync();

        Assert.Equal(0, queue.Count);
        Assert.False(second.IsCompleted);
        queue.Done(first);
        Assert.Equal("a", (await second).Key);
        Assert.Equal(1, queue.InFlight);
    }

    [Fact]
    public async Task Done_WithoutReAdd_LeavesNothingQueued()
    {
        using var queue = Queue();
        queue.Add("a");
        var (key, _) = await queue.GetAsync();

        queue.Done(key);

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.InFlight);
    }

    [Fact]
    public async Task ReAddsWhileInFlight_CollapseIntoOneMoreRound()
    {
        using var queue = Queue();
        queue.Add("a");
        var (key, _) = await queue.GetAsync();

        queue.Add("a");
        queue.Add("a");
        queue.Add("a");
        queue.Done(key);

        Assert.Equal(1, queue.Count);
        await queue.GetAsync();
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void AddAfter_QueuesWhenTheTimeHasCome_EarliestDelayWins()
    {
        using var queue = Queue();

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(3));
        queue.AddAfter("a", TimeSpan.FromSeconds(7));
        queue.AddAfter("b", TimeSpan.Zero);

        Assert.Equal(1, queue.Count);
        Assert.Equal(1, queue.DelayedCount);
        _time.Advance(TimeSpan.FromSeconds(2.999));
        Assert.Equal(1, queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void AddRateLimited_WaitsTheBackoff_ThenForgetStartsOver()
    {
        using var queue = Queue(new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)));

        queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(4));
        var afterFour = queue.Count;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var afterFive = queue.Count;
        queue.AddRateLimited("b");
        queue.AddRateLimited("b");

        Assert.Equal((0, 1), (afterFour, afterFive));
        Assert.Equal(1, queue.NumRequeues("a"));
        Assert.Equal(2, queue.NumRequeues("b"));
        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
    }

    [Fact]
    public async Task ShutDown_WakesWaitingWorkers_AndIgnoresLaterAdds()
    {
        using var queue = Queue();
        var waiting = queue.GetAsync();
        queue.Add("x");
        var (x, _) = await waiting;
        var idle = queue.GetAsync();
        queue.Add("queued");
        queue.AddAfter("delayed", TimeSpan.FromSeconds(1));
        var (queued, _) = await idle;
        var last = queue.GetAsync();

        queue.ShutDown();
        queue.Add("late");
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(("x", "queued"), (x, queued));
        Assert.True((await last).Shutdown);
        Assert.True((await queue.GetAsync()).Shutdown);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task ShutDownWithDrain_WaitsForKeysInFlight()
    {
        using var queue = Queue();
        queue.Add("a");
        queue.Add("b");
        var (a, _) = await queue.GetAsync();

        var drained = queue.ShutDownWithDrainAsync(TestContext.Current.CancellationToken);

        Assert.False(drained.IsCompleted);
        Assert.True((await queue.GetAsync()).Shutdown); // "b" was never started: dropped, not drained
        queue.Done(a);
        await drained;
        Assert.Equal(0, queue.InFlight);
    }

    [Fact]
    public async Task GetAsync_Cancelled_ThrowsAndLosesNoKey()
    {
        using var queue = Queue();
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cancel.Token);
        var waiting = queue.GetAsync();

        await cancel.CancelAsync();
        queue.Add("a");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        Assert.Equal("a", (await waiting).Key);
    }

    [Fact]
    public async Task Metrics_CountAddsRetriesAndDepth()
    {
        using var meter = new Meter("test.workqueue." + Guid.NewGuid());
        using var collected = new MetricCollector(meter);
        using var queue = Queue(meter: meter);

        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        await queue.GetAsync();
        queue.AddRateLimited("c");

        Assert.Equal(2, collected.Sum("tunneloperator_workqueue_adds_total"));
        Assert.Equal(1, collected.Sum("tunneloperator_workqueue_depth"));
        Assert.Equal(1, collected.Sum("tunneloperator_workqueue_retries_total"));
        Assert.Equal(1, collected.Count("tunneloperator_workqueue_queue_duration_seconds"));
        Assert.All(collected.Tags("tunneloperator_workqueue_adds_total"), t => Assert.Equal("test", t["name"]));
    }
}
