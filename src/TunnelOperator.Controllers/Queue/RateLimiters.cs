namespace TunnelOperator.Controllers.Queue;

/// <summary>Ready-made limiters.</summary>
public static class RateLimiters
{
    /// <summary>client-go's per-key default: 5 ms doubling per failure.</summary>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>client-go's per-key cap: 1000 s (about 17 minutes).</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1000);

    /// <summary>client-go's overall rate: 10 retries a second, bursts of 100.</summary>
    public const double DefaultQps = 10;

    public const int DefaultBurst = 100;

    /// <summary>
    /// client-go's <c>DefaultTypedControllerRateLimiter</c>, which controller-runtime uses: the longer of
    /// per-key exponential backoff and the overall token bucket.
    /// </summary>
    public static IRateLimiter<TKey> Default<TKey>(TimeProvider? time = null)
        where TKey : notnull =>
        Create<TKey>(DefaultBaseDelay, DefaultMaxDelay, DefaultQps, DefaultBurst, time);

    /// <summary>The same shape with other numbers (tests use short delays; busy operators a larger bucket).</summary>
    public static IRateLimiter<TKey> Create<TKey>(TimeSpan baseDelay, TimeSpan maxDelay, double qps, int burst, TimeProvider? time = null)
        where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(
            new ExponentialFailureRateLimiter<TKey>(baseDelay, maxDelay),
            new BucketRateLimiter<TKey>(qps, burst, time));
}
