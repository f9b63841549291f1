using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A namespace (core/v1): the scope of names and of most policies.</summary>
public sealed record Namespace : KubernetesObject, IKubernetesEntity<Namespace>
{
    public Namespace()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("", "v1", "Namespace", "namespaces", Namespaced: false);

    public static JsonTypeInfo<Namespace> JsonType => KubernetesJsonContext.Default.Namespace;

    public static JsonTypeInfo<KubernetesList<Namespace>> ListJsonType => KubernetesJsonContext.Default.KubernetesListNamespace;

    public NamespaceSpec? Spec { get; init; }

    public NamespaceStatus? Status { get; init; }
}
