namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A running container.</summary>
public sealed record ContainerStateRunning
{
    public DateTimeOffset? StartedAt { get; init; }
}
