using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.ApiExtensions;

/// <summary>The group, names, scope and versions of a custom kind.</summary>
public sealed record CustomResourceDefinitionSpec
{
    public string? Group { get; init; }

    public CustomResourceDefinitionNames? Names { get; init; }

    /// <summary><c>Namespaced</c> or <c>Cluster</c>.</summary>
    public string? Scope { get; init; }

    public IReadOnlyList<CustomResourceDefinitionVersion>? Versions { get; init; }

    /// <summary>Conversion strategy and webhook, kept as JSON.</summary>
    public JsonObject? Conversion { get; init; }

    public bool? PreserveUnknownFields { get; init; }

    /// <summary>
    /// Fields this model does not name, kept so that a read-modify-replace does not drop them.
    /// </summary>
    [JsonExtensionData]
    /// <remarks>Settable, not init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
