using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Serialization;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>A public edge: the tunneld Deployment and Service that tunnels are exposed through.</summary>
[Description("EdgeNode runs a public tunnel edge: a Deployment of tunneld and the Service in front of it. It terminates or passes through public TLS under its base host, accepts agent connections, and keeps tenants and tokens in its store. Tunnels, TenantInvites, Hives and PortForwards in the same namespace refer to it by name.")]
[KubernetesEntity(ShortNames = ["edge"], Categories = ["tunneloperator"])]
[ScaleSubresource(".spec.replicas", ".status.replicas", LabelSelectorPath = ".status.selector")]
[PrinterColumn("Base Host", "string", ".spec.baseHost", Description = "Domain under which tunnels get their subdomains.")]
[PrinterColumn("Ready", "integer", ".status.readyReplicas", Description = "Edge pods that are ready.")]
[PrinterColumn("Replicas", "integer", ".spec.replicas", Description = "Edge pods wanted.", Priority = 1)]
[PrinterColumn("Address", "string", ".status.address", Description = "Public address DNS should point at.")]
[PrinterColumn("Store", "string", ".spec.store.type", Description = "Where the edge keeps its state.", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed record EdgeNode : KubernetesObject, IKubernetesEntity<EdgeNode>
{
    public static ResourceType Resource { get; } = new(CrdGroup.Name, CrdGroup.Version, "EdgeNode", "edgenodes", Namespaced: true);

    public static JsonTypeInfo<EdgeNode> JsonType => CrdJsonContext.Default.EdgeNode;

    public static JsonTypeInfo<KubernetesList<EdgeNode>> ListJsonType => CrdJsonContext.Default.KubernetesListEdgeNode;

    [Description("Desired state: base host, replicas, ports, Service, store and TLS.")]
    [JsonPropertyOrder(1)]
    public required EdgeNodeSpec Spec { get; init; }

    [Description("Observed state, written by the operator.")]
    [JsonPropertyOrder(2)]
    public EdgeNodeStatus? Status { get; init; }
}
