using System.Text.Json;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One container of a pod.</summary>
public sealed record Container
{
    public string? Name { get; init; }

    public string? Image { get; init; }

    /// <summary><c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>.</summary>
    public string? ImagePullPolicy { get; init; }

    /// <summary>Replaces the image entrypoint.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyList<EnvVar>? Env { get; init; }

    public IReadOnlyList<EnvFromSource>? EnvFrom { get; init; }

    public IReadOnlyList<ContainerPort>? Ports { get; init; }

    public ResourceRequirements? Resources { get; init; }

    public IReadOnlyList<VolumeMount>? VolumeMounts { get; init; }

    public Probe? LivenessProbe { get; init; }

    public Probe? ReadinessProbe { get; init; }

    public Probe? StartupProbe { get; init; }

    public bool? Stdin { get; init; }

    public bool? Tty { get; init; }

    /// <summary>
    /// Fields this model does not name, kept so that a read-modify-replace does not drop them.
    /// </summary>
    [JsonExtensionData]
    /// <remarks>Settable, not init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
