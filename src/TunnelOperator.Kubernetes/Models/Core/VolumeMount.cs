namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Where a volume appears in a container.</summary>
public sealed record VolumeMount
{
    public string? Name { get; init; }

    public string? MountPath { get; init; }

    public bool? ReadOnly { get; init; }

    public string? SubPath { get; init; }
}
