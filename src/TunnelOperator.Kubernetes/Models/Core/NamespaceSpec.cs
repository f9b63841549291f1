namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>What a namespace needs before it can be removed.</summary>
public sealed record NamespaceSpec
{
    /// <summary>Finalizers of the namespace lifecycle (<c>kubernetes</c>), not metadata finalizers.</summary>
    public IReadOnlyList<string>? Finalizers { get; init; }
}
