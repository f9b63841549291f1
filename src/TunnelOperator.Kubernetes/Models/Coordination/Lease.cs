using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Coordination;

/// <summary>A lease (coordination.k8s.io/v1 Lease): leader election and heartbeats.</summary>
public sealed record Lease : KubernetesObject, IKubernetesEntity<Lease>
{
    public Lease()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("coordination.k8s.io", "v1", "Lease", "leases", Namespaced: true);

    public static JsonTypeInfo<Lease> JsonType => KubernetesJsonContext.Default.Lease;

    public static JsonTypeInfo<KubernetesList<Lease>> ListJsonType => KubernetesJsonContext.Default.KubernetesListLease;

    public LeaseSpec? Spec { get; init; }
}
