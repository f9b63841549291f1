namespace TunnelOperator.Controllers.Queue;

/// <summary>
/// Decides how long a key waits before it is retried (client-go's <c>workqueue.TypedRateLimiter</c>).
/// Implementations are thread-safe.
/// </summary>
public interface IRateLimiter<in TKey>
{
    /// <summary>The delay before <paramref name="key"/> may be processed again; each call counts as one more failure.</summary>
    TimeSpan When(TKey key);

    /// <summary>The key succeeded: its failure history is cleared, so the next failure starts from the base delay.</summary>
    void Forget(TKey key);

    /// <summary>How many times the key failed since it was last forgotten.</summary>
    int NumRequeues(TKey key);
}
