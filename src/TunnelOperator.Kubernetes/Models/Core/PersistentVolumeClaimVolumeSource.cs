namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A claim on persistent storage.</summary>
public sealed record PersistentVolumeClaimVolumeSource
{
    public string? ClaimName { get; init; }

    public bool? ReadOnly { get; init; }
}
