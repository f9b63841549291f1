using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Non-secret configuration as key/value pairs (core/v1 ConfigMap).</summary>
public sealed record ConfigMap : KubernetesObject, IKubernetesEntity<ConfigMap>
{
    public ConfigMap()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("", "v1", "ConfigMap", "configmaps", Namespaced: true);

    public static JsonTypeInfo<ConfigMap> JsonType => KubernetesJsonContext.Default.ConfigMap;

    public static JsonTypeInfo<KubernetesList<ConfigMap>> ListJsonType => KubernetesJsonContext.Default.KubernetesListConfigMap;

    /// <summary>UTF-8 values.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>Other bytes; base64 on the wire. Keys must not repeat those of <see cref="Data"/>.</summary>
    public IReadOnlyDictionary<string, byte[]>? BinaryData { get; init; }

    public bool? Immutable { get; init; }
}
