namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One key of a config map.</summary>
public sealed record ConfigMapKeySelector
{
    public string? Name { get; init; }

    public string? Key { get; init; }

    public bool? Optional { get; init; }
}
