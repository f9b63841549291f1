using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A stable address for a set of pods (core/v1 Service).</summary>
public sealed record Service : KubernetesObject, IKubernetesEntity<Service>
{
    public Service()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("", "v1", "Service", "services", Namespaced: true);

    public static JsonTypeInfo<Service> JsonType => KubernetesJsonContext.Default.Service;

    public static JsonTypeInfo<KubernetesList<Service>> ListJsonType => KubernetesJsonContext.Default.KubernetesListService;

    public ServiceSpec? Spec { get; init; }

    public ServiceStatus? Status { get; init; }
}
