using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Sensitive data as key/value pairs (core/v1 Secret). Never log its values.</summary>
public sealed record Secret : KubernetesObject, IKubernetesEntity<Secret>
{
    public Secret()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("", "v1", "Secret", "secrets", Namespaced: true);

    public static JsonTypeInfo<Secret> JsonType => KubernetesJsonContext.Default.Secret;

    public static JsonTypeInfo<KubernetesList<Secret>> ListJsonType => KubernetesJsonContext.Default.KubernetesListSecret;

    /// <summary>The values as bytes; base64-encoded on the wire.</summary>
    public IReadOnlyDictionary<string, byte[]>? Data { get; init; }

    /// <summary>Write-only convenience: the API server merges these into <see cref="Data"/> and never returns them.</summary>
    public IReadOnlyDictionary<string, string>? StringData { get; init; }

    /// <summary><c>Opaque</c>, <c>kubernetes.io/tls</c>, ...; immutable after creation.</summary>
    public string? Type { get; init; }

    public bool? Immutable { get; init; }
}
