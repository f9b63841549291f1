namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Compute resources of a container, as quantity strings (<c>100m</c>, <c>128Mi</c>).</summary>
public sealed record ResourceRequirements
{
    public IReadOnlyDictionary<string, string>? Limits { get; init; }

    public IReadOnlyDictionary<string, string>? Requests { get; init; }
}
