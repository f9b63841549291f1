namespace TunnelOperator.Kubernetes.Models;

/// <summary>Conditions a delete checks against the live object (meta/v1 Preconditions).</summary>
public sealed record Preconditions
{
    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }
}
