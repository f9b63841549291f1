using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A group of containers scheduled together (core/v1 Pod).</summary>
public sealed record Pod : KubernetesObject, IKubernetesEntity<Pod>
{
    public Pod()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("", "v1", "Pod", "pods", Namespaced: true);

    public static JsonTypeInfo<Pod> JsonType => KubernetesJsonContext.Default.Pod;

    public static JsonTypeInfo<KubernetesList<Pod>> ListJsonType => KubernetesJsonContext.Default.KubernetesListPod;

    public PodSpec? Spec { get; init; }

    public PodStatus? Status { get; init; }
}
