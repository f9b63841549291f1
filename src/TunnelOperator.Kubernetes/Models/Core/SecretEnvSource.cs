namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A secret whose keys become environment variables.</summary>
public sealed record SecretEnvSource
{
    public string? Name { get; init; }

    public bool? Optional { get; init; }
}
