namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A field of the pod itself (downward API).</summary>
public sealed record ObjectFieldSelector
{
    public string? ApiVersion { get; init; }

    public string? FieldPath { get; init; }
}
