namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A scratch directory that lives as long as the pod.</summary>
public sealed record EmptyDirVolumeSource
{
    /// <summary><c>Memory</c> for tmpfs.</summary>
    public string? Medium { get; init; }

    public string? SizeLimit { get; init; }
}
