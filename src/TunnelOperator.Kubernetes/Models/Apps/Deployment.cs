using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Apps;

/// <summary>Declarative updates of replicated pods (apps/v1 Deployment).</summary>
public sealed record Deployment : KubernetesObject, IKubernetesEntity<Deployment>
{
    public Deployment()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("apps", "v1", "Deployment", "deployments", Namespaced: true);

    public static JsonTypeInfo<Deployment> JsonType => KubernetesJsonContext.Default.Deployment;

    public static JsonTypeInfo<KubernetesList<Deployment>> ListJsonType => KubernetesJsonContext.Default.KubernetesListDeployment;

    public DeploymentSpec? Spec { get; init; }

    public DeploymentStatus? Status { get; init; }
}
