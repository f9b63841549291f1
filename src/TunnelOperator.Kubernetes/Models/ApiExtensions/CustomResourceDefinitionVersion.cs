using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.ApiExtensions;

/// <summary>One served version of a custom kind.</summary>
public sealed record CustomResourceDefinitionVersion
{
    public string? Name { get; init; }

    public bool Served { get; init; }

    /// <summary>Exactly one version is the storage version.</summary>
    public bool Storage { get; init; }

    public bool? Deprecated { get; init; }

    public string? DeprecationWarning { get; init; }

    public CustomResourceValidation? Schema { get; init; }

    /// <summary><c>{"status": {}}</c> and/or <c>{"scale": {...}}</c>, kept as JSON.</summary>
    public JsonObject? Subresources { get; init; }

    public IReadOnlyList<CustomResourceColumnDefinition>? AdditionalPrinterColumns { get; init; }

    public JsonArray? SelectableFields { get; init; }

    /// <summary>
    /// Fields this model does not name, kept so that a read-modify-replace does not drop them.
    /// </summary>
    [JsonExtensionData]
    /// <remarks>Settable, not init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
