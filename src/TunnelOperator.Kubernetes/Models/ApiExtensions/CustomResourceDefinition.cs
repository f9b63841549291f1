using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.ApiExtensions;

/// <summary>A custom kind served by the API server (apiextensions.k8s.io/v1 CustomResourceDefinition).</summary>
public sealed record CustomResourceDefinition : KubernetesObject, IKubernetesEntity<CustomResourceDefinition>
{
    public CustomResourceDefinition()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", Namespaced: false);

    public static JsonTypeInfo<CustomResourceDefinition> JsonType => KubernetesJsonContext.Default.CustomResourceDefinition;

    public static JsonTypeInfo<KubernetesList<CustomResourceDefinition>> ListJsonType => KubernetesJsonContext.Default.KubernetesListCustomResourceDefinition;

    public CustomResourceDefinitionSpec? Spec { get; init; }

    public CustomResourceDefinitionStatus? Status { get; init; }
}
