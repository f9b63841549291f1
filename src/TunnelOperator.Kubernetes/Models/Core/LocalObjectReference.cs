namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Names an object in the same namespace.</summary>
public sealed record LocalObjectReference
{
    public string? Name { get; init; }
}
