namespace TunnelOperator.Controllers.Controllers;

/// <summary>What happens to a key whose reconcile failed.</summary>
public readonly record struct ErrorDecision
{
    private ErrorDecision(ErrorDecisionKind kind, TimeSpan delay)
    {
        Kind = kind;
        Delay = delay;
    }

    /// <summary>Retry after the queue's rate limiter delay (per-key exponential backoff and the overall bucket).</summary>
    public static ErrorDecision Backoff => new(ErrorDecisionKind.Backoff, TimeSpan.Zero);

    /// <summary>Give up until the object changes again (for errors no retry can fix).</summary>
    public static ErrorDecision Drop => new(ErrorDecisionKind.Drop, TimeSpan.Zero);

    public ErrorDecisionKind Kind { get; }

    /// <summary>The wait of <see cref="ErrorDecisionKind.RetryAfter"/>.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Retry after exactly <paramref name="delay"/> (the server's Retry-After); the key's backoff history is kept.</summary>
    public static ErrorDecision RetryAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new ErrorDecision(ErrorDecisionKind.RetryAfter, delay);
    }
}
