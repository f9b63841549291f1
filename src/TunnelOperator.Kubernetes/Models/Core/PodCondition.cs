namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One condition of a pod: <c>PodScheduled</c>, <c>Initialized</c>, <c>ContainersReady</c>, <c>Ready</c>.</summary>
public sealed record PodCondition
{
    public required string Type { get; init; }

    public required string Status { get; init; }

    public DateTimeOffset? LastProbeTime { get; init; }

    public DateTimeOffset? LastTransitionTime { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }
}
