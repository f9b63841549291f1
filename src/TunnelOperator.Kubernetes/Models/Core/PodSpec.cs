using System.Text.Json;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>What runs in a pod and how.</summary>
public sealed record PodSpec
{
    public IReadOnlyList<Container>? Containers { get; init; }

    public IReadOnlyList<Container>? InitContainers { get; init; }

    public IReadOnlyList<Volume>? Volumes { get; init; }

    /// <summary><c>Always</c>, <c>OnFailure</c> or <c>Never</c>.</summary>
    public string? RestartPolicy { get; init; }

    public string? ServiceAccountName { get; init; }

    public bool? AutomountServiceAccountToken { get; init; }

    public string? NodeName { get; init; }

    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }

    public long? TerminationGracePeriodSeconds { get; init; }

    public bool? HostNetwork { get; init; }

    public string? DnsPolicy { get; init; }

    public string? PriorityClassName { get; init; }

    public IReadOnlyList<LocalObjectReference>? ImagePullSecrets { get; init; }

    public bool? EnableServiceLinks { get; init; }

    /// <summary>
    /// Fields this model does not name, kept so that a read-modify-replace does not drop them.
    /// </summary>
    [JsonExtensionData]
    /// <remarks>Settable, not init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
