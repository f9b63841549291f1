using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.ApiExtensions;

/// <summary>The schema a version is validated and pruned with.</summary>
public sealed record CustomResourceValidation
{
    /// <summary>A structural OpenAPI v3 schema, kept as JSON.</summary>
    [JsonPropertyName("openAPIV3Schema")]
    public JsonObject? OpenAPIV3Schema { get; init; }
}
