namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// Tracks the last activity of a UDP flow and completes when none happened for the idle
/// timeout (UDP has no close; idleness is the only end a flow gets). Touching is one
/// interlocked write, so the hot path never reschedules a timer.
/// </summary>
internal sealed class IdleTimer(TimeSpan timeout, TimeProvider time)
{
    private long _lastActivity = time.GetTimestamp();

    public void Touch() => Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());

    public TimeSpan IdleFor => time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>Completes with true once idle for the whole timeout; throws when cancelled.</summary>
    public async Task<bool> WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = timeout - IdleFor;
            if (remaining <= TimeSpan.Zero)
            {
                return true;
            }

            await Task.Delay(remaining, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
