namespace TunnelOperator.Controllers.Queue;

/// <summary>
/// One token bucket for all keys: <c>qps</c> tokens a second, at most <c>burst</c> saved up
/// (client-go's <c>BucketRateLimiter</c> over <c>golang.org/x/time/rate</c>; its default is 10 qps,
/// burst 100). Every call takes a token even when none is left: the bucket goes into debt and the
/// caller is told how long until its token exists, as <c>rate.Limiter.Reserve</c> does, so a storm of
/// retries is spread out at <c>qps</c> instead of arriving all at once. It keeps no per-key state.
/// </summary>
public sealed class BucketRateLimiter<TKey> : IRateLimiter<TKey>
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _qps;
    private readonly int _burst;
    private double _tokens;
    private long _last;

    public BucketRateLimiter(double qps, int burst, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _time = time ?? TimeProvider.System;
        _qps = qps;
        _burst = burst;
        _tokens = burst;
        _last = _time.GetTimestamp();
    }

    public TimeSpan When(TKey key)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed * _qps)) - 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(TKey key)
    {
    }

    public int NumRequeues(TKey key) => 0;
}
