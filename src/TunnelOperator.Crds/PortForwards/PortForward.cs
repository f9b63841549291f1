using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Serialization;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.PortForwards;

/// <summary>Authenticated remote access to named in-cluster TCP and UDP endpoints.</summary>
[Description("PortForward gives authenticated clients remote access to named TCP and UDP endpoints in the cluster, like kubectl port-forward but with UDP and without Kubernetes credentials. The operator runs an agent that connects out to an EdgeNode; a client presents a token to the edge, names a target, and tunnelctl port-forward listens locally and carries the traffic.")]
[KubernetesEntity(ShortNames = ["pf"], Categories = ["tunneloperator"])]
[PrinterColumn("Endpoint", "string", ".status.endpoint", Description = "Address clients connect to.")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Description = "Whether clients can forward.")]
[PrinterColumn("Edge", "string", ".spec.edgeRef.name", Description = "The EdgeNode clients go through.", Priority = 1)]
[PrinterColumn("Sessions", "integer", ".status.activeSessions", Description = "Sessions open right now.", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed record PortForward : KubernetesObject, IKubernetesEntity<PortForward>
{
    public static ResourceType Resource { get; } = new(CrdGroup.Name, CrdGroup.Version, "PortForward", "portforwards", Namespaced: true);

    public static JsonTypeInfo<PortForward> JsonType => CrdJsonContext.Default.PortForward;

    public static JsonTypeInfo<KubernetesList<PortForward>> ListJsonType => CrdJsonContext.Default.KubernetesListPortForward;

    [Description("Desired state: edge, targets, credentials and limits.")]
    [JsonPropertyOrder(1)]
    public required PortForwardSpec Spec { get; init; }

    [Description("Observed state, written by the operator.")]
    [JsonPropertyOrder(2)]
    public PortForwardStatus? Status { get; init; }
}
