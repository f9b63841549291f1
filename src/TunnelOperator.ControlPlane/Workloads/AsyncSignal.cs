namespace TunnelOperator.ControlPlane.Workloads;

/// <summary>
/// A level signal for one waiter loop: <see cref="Set"/> wakes the current or next <see cref="WaitAsync"/>;
/// sets while nobody waits are remembered once (they coalesce).
/// </summary>
internal sealed class AsyncSignal
{
    private readonly object _lock = new();
    private TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set()
    {
        lock (_lock)
        {
            _tcs.TrySetResult();
        }
    }

    /// <summary>Completes when set (now or since the last wait returned), then resets.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        Task task;
        lock (_lock)
        {
            task = _tcs.Task;
        }

        await task.WaitAsync(ct);
        lock (_lock)
        {
            if (_tcs.Task.IsCompleted)
            {
                _tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Waits until set or until <paramref name="delay"/> passes on <paramref name="time"/>; true when set.</summary>
    public async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken ct)
    {
        if (delay == Timeout.InfiniteTimeSpan)
        {
            await WaitAsync(ct);
            return true;
        }

        using var timer = new CancellationTokenSource(delay <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : delay, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await WaitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
