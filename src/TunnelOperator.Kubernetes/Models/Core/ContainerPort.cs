using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A port a container listens on.</summary>
public sealed record ContainerPort
{
    /// <summary>An IANA_SVC_NAME, referable from services and probes.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>containerPort</c> field (C# forbids a member named after its type).</summary>
    [JsonPropertyName("containerPort")]
    public int Port { get; init; }

    public string? Protocol { get; init; }

    public int? HostPort { get; init; }

    public string? HostIP { get; init; }
}
