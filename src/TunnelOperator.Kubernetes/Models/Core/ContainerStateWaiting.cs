namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A container not yet running, e.g. <c>ImagePullBackOff</c>.</summary>
public sealed record ContainerStateWaiting
{
    public string? Reason { get; init; }

    public string? Message { get; init; }
}
