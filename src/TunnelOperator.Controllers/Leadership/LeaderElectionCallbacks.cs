namespace TunnelOperator.Controllers.Leadership;

/// <summary>What a <see cref="LeaderElector"/> calls as leadership comes and goes.</summary>
public sealed record LeaderElectionCallbacks
{
    /// <summary>
    /// Runs the leader's work. The token is cancelled when leadership is lost (stop at once: another
    /// replica may already lead) or when the elector is stopped. When the returned task ends while
    /// still leading, the elector releases the lease: that is how work finishes gracefully.
    /// </summary>
    public required Func<CancellationToken, Task> OnStartedLeading { get; init; }

    /// <summary>Called once leading has ended, after <see cref="OnStartedLeading"/>'s task finished.</summary>
    public Action? OnStoppedLeading { get; init; }

    /// <summary>Called when this replica sees a different holder (or none, as the empty string).</summary>
    public Action<string>? OnNewLeader { get; init; }
}
