namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Whether a namespace is usable or being torn down.</summary>
public sealed record NamespaceStatus
{
    /// <summary><c>Active</c> or <c>Terminating</c>.</summary>
    public string? Phase { get; init; }

    public IReadOnlyList<Condition>? Conditions { get; init; }
}
