namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One environment variable: a literal or a reference.</summary>
public sealed record EnvVar
{
    public string? Name { get; init; }

    /// <summary>May use <c>$(OTHER)</c> to expand an earlier variable.</summary>
    public string? Value { get; init; }

    public EnvVarSource? ValueFrom { get; init; }
}
