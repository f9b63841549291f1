namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A config map whose keys become environment variables.</summary>
public sealed record ConfigMapEnvSource
{
    public string? Name { get; init; }

    public bool? Optional { get; init; }
}
