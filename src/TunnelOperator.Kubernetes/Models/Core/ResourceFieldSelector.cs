namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A resource limit or request of a container (downward API).</summary>
public sealed record ResourceFieldSelector
{
    public string? ContainerName { get; init; }

    public string? Resource { get; init; }

    public string? Divisor { get; init; }
}
