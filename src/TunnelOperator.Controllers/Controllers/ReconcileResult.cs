namespace TunnelOperator.Controllers.Controllers;

/// <summary>What a successful reconcile asks for next: nothing, or another look after a delay.</summary>
public readonly record struct ReconcileResult
{
    private ReconcileResult(TimeSpan delay) => Delay = delay;

    /// <summary>Converged; the object is reconciled again only when something it watches changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Null when done; otherwise when to reconcile again.</summary>
    public TimeSpan? Delay { get; }

    public bool IsRequeue => Delay.HasValue;

    /// <summary>
    /// Reconcile again after <paramref name="delay"/> (zero: as soon as a worker is free). The key's
    /// failure backoff is reset, as controller-runtime does for <c>Result.RequeueAfter</c>.
    /// </summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new ReconcileResult(delay);
    }

    public override string ToString() => Delay is { } delay ? $"RequeueAfter({delay})" : "Done";
}
