namespace TunnelOperator.Controllers.Queue;

/// <summary>
/// The longest delay of several limiters (client-go's <c>MaxOfRateLimiter</c>): per-key backoff and an
/// overall bucket together, so one failing key backs off and many failing keys are still paced.
/// </summary>
public sealed class MaxOfRateLimiter<TKey> : IRateLimiter<TKey>
{
    private readonly IRateLimiter<TKey>[] _limiters;

    public MaxOfRateLimiter(params IRateLimiter<TKey>[] limiters)
    {
        ArgumentNullException.ThrowIfNull(limiters);
        if (limiters.Length == 0)
        {
            throw new ArgumentException("at least one limiter is needed", nameof(limiters));
        }

        _limiters = limiters;
    }

    public TimeSpan When(TKey key)
    {
        // Every limiter is asked (not just until one answers long): each must count the failure.
        var delay = TimeSpan.Zero;
        foreach (var limiter in _limiters)
        {
            var next = limiter.When(key);
            delay = next > delay ? next : delay;
        }

        return delay;
    }

    public void Forget(TKey key)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(key);
        }
    }

    public int NumRequeues(TKey key) => _limiters.Max(l => l.NumRequeues(key));
}
