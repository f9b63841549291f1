namespace TunnelOperator.Kubernetes.Models.Apps;

/// <summary>One condition of a deployment: <c>Available</c>, <c>Progressing</c>, <c>ReplicaFailure</c>.</summary>
public sealed record DeploymentCondition
{
    public required string Type { get; init; }

    public required string Status { get; init; }

    public DateTimeOffset? LastUpdateTime { get; init; }

    public DateTimeOffset? LastTransitionTime { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }
}
