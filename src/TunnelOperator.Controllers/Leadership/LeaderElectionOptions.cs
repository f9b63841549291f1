namespace TunnelOperator.Controllers.Leadership;

/// <summary>
/// The lease and the timings of leader election, with client-go's defaults. The invariant
/// <c>LeaseDuration &gt; RenewDeadline &gt; RetryPeriod</c> keeps a leader that stops renewing from
/// overlapping with its successor: it gives up after <c>RenewDeadline</c>, candidates take over only
/// after <c>LeaseDuration</c> without a renewal.
/// </summary>
public sealed record LeaderElectionOptions
{
    /// <summary>The coordination.k8s.io/v1 Lease, e.g. <c>tunneloperator-leader</c>.</summary>
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>This replica, unique among candidates (the pod name plus a random suffix, as controller-runtime does).</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How long candidates wait after the last renewal they saw before taking over (client-go: 15 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading (client-go: 10 s).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire and the leader renews (client-go: 2 s).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Clear the holder when leading ends on purpose, so the next replica takes over at its next try
    /// instead of after <see cref="LeaseDuration"/> (client-go's ReleaseOnCancel). On by default.
    /// </summary>
    public bool ReleaseOnCancel { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LeaseName);
        ArgumentException.ThrowIfNullOrWhiteSpace(LeaseNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(Identity);
        if (!(LeaseDuration > RenewDeadline && RenewDeadline > RetryPeriod && RetryPeriod > TimeSpan.Zero))
        {
            throw new ArgumentException("leader election needs LeaseDuration > RenewDeadline > RetryPeriod > 0");
        }
    }
}
