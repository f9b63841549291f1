namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>What the kubelet last reported about a pod.</summary>
public sealed record PodStatus
{
    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Unknown</c>.</summary>
    public string? Phase { get; init; }

    public IReadOnlyList<PodCondition>? Conditions { get; init; }

    public string? Message { get; init; }

    public string? Reason { get; init; }

    public string? HostIP { get; init; }

    public string? PodIP { get; init; }

    public IReadOnlyList<PodIP>? PodIPs { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public IReadOnlyList<ContainerStatus>? InitContainerStatuses { get; init; }

    public IReadOnlyList<ContainerStatus>? ContainerStatuses { get; init; }

    public string? QosClass { get; init; }
}
