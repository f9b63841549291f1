using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

public sealed class IdleTimerTests
{
    [Fact]
    public async Task WaitIdle_CompletesOnlyAfterAWholeTimeoutWithoutActivity()
    {
        var time = new FakeTimeProvider();
        var timer = new IdleTimer(TimeSpan.FromSeconds(60), time);
        var idle = timer.WaitIdleAsync(TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(idle.IsCompleted);

        // Activity moves the deadline: 59 s more are not enough, the 60th is.
        timer.Touch();
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Yield();
        Assert.False(idle.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await idle.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitIdle_StopsWhenCancelled()
    {
        var timer = new IdleTimer(TimeSpan.FromSeconds(60), new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();
        var idle = timer.WaitIdleAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => idle);
    }
}
