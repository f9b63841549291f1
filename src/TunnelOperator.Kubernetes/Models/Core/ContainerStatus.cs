namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>What the kubelet reports about one container.</summary>
public sealed record ContainerStatus
{
    public string? Name { get; init; }

    public bool Ready { get; init; }

    public int RestartCount { get; init; }

    public bool? Started { get; init; }

    public string? Image { get; init; }

    public string? ImageID { get; init; }

    public string? ContainerID { get; init; }

    public ContainerState? State { get; init; }

    public ContainerState? LastState { get; init; }
}
