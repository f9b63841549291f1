namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Every key of a config map or secret as environment variables.</summary>
public sealed record EnvFromSource
{
    public string? Prefix { get; init; }

    public ConfigMapEnvSource? ConfigMapRef { get; init; }

    public SecretEnvSource? SecretRef { get; init; }
}
