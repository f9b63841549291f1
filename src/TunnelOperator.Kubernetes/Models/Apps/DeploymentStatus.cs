namespace TunnelOperator.Kubernetes.Models.Apps;

/// <summary>What the deployment controller last observed.</summary>
public sealed record DeploymentStatus
{
    /// <summary>The generation this status describes; older than metadata.generation means not yet seen.</summary>
    public long? ObservedGeneration { get; init; }

    public int? Replicas { get; init; }

    public int? UpdatedReplicas { get; init; }

    public int? ReadyReplicas { get; init; }

    public int? AvailableReplicas { get; init; }

    public int? UnavailableReplicas { get; init; }

    public IReadOnlyList<DeploymentCondition>? Conditions { get; init; }

    public int? CollisionCount { get; init; }
}
