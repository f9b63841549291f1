namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A secret projected into files.</summary>
public sealed record SecretVolumeSource
{
    public string? SecretName { get; init; }

    public IReadOnlyList<KeyToPath>? Items { get; init; }

    public int? DefaultMode { get; init; }

    public bool? Optional { get; init; }
}
