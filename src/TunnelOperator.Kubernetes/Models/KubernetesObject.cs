using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models;

/// <summary>The fields every Kubernetes object has: its type and its metadata.</summary>
public abstract record KubernetesObject
{
    // Written first, as the API server and kubectl write them, so bodies and logs read naturally.
    [JsonPropertyOrder(-3)]
    public string? ApiVersion { get; init; }

    [JsonPropertyOrder(-2)]
    public string? Kind { get; init; }

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; init; } = new();
}
