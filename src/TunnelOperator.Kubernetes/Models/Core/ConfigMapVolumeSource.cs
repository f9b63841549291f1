namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A config map projected into files.</summary>
public sealed record ConfigMapVolumeSource
{
    public string? Name { get; init; }

    public IReadOnlyList<KeyToPath>? Items { get; init; }

    /// <summary>File mode bits, e.g. 0644 (decimal 420 on the wire).</summary>
    public int? DefaultMode { get; init; }

    public bool? Optional { get; init; }
}
