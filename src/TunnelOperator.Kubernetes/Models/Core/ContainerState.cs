namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>The state of a container; exactly one member is set.</summary>
public sealed record ContainerState
{
    public ContainerStateWaiting? Waiting { get; init; }

    public ContainerStateRunning? Running { get; init; }

    public ContainerStateTerminated? Terminated { get; init; }
}
