using System.Text.Json;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A named volume of a pod; exactly one source is set.</summary>
public sealed record Volume
{
    public string? Name { get; init; }

    public ConfigMapVolumeSource? ConfigMap { get; init; }

    public SecretVolumeSource? Secret { get; init; }

    public EmptyDirVolumeSource? EmptyDir { get; init; }

    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; init; }

    /// <summary>
    /// Fields this model does not name, kept so that a read-modify-replace does not drop them.
    /// </summary>
    [JsonExtensionData]
    /// <remarks>Settable, not init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
