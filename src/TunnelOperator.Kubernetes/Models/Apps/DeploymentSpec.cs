using System.Text.Json;
using System.Text.Json.Serialization;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Kubernetes.Models.Apps;

/// <summary>The desired pods of a deployment and how to roll them.</summary>
public sealed record DeploymentSpec
{
    /// <summary>Defaults to 1; leave unset when an autoscaler owns it, so server-side apply does not fight it.</summary>
    public int? Replicas { get; init; }

    /// <summary>Must match the template labels; immutable after creation.</summary>
    public LabelSelector? Selector { get; init; }

    public PodTemplateSpec? Template { get; init; }

    public DeploymentStrategy? Strategy { get; init; }

    public int? MinReadySeconds { get; init; }

    public int? RevisionHistoryLimit { get; init; }

    public int? ProgressDeadlineSeconds { get; init; }

    public bool? Paused { get; init; }

    /// <summary>
    /// Fields this model does not name, kept so that a read-modify-replace does not drop them.
    /// </summary>
    [JsonExtensionData]
    /// <remarks>Settable, not init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
