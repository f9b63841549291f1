using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Serialization;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Tunnels;

/// <summary>Exposes one in-cluster target through an <c>EdgeNode</c> at a public address.</summary>
[Description("Tunnel exposes one target in the cluster, a Service port or a URL, at a public address of an EdgeNode: an HTTP(S) hostname routed by Host, a TLS hostname routed by SNI, or a raw TCP or UDP port. The operator runs agent pods that connect out to the edge, so the target needs no inbound route.")]
[KubernetesEntity(ShortNames = ["tun"], Categories = ["tunneloperator"])]
[PrinterColumn("URL", "string", ".status.publicURL", Description = "Public address of the tunnel.")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Description = "Whether the public endpoint serves traffic.")]
[PrinterColumn("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the tunnel is or is not ready.")]
[PrinterColumn("Edge", "string", ".spec.edgeRef.name", Description = "The EdgeNode serving the tunnel.", Priority = 1)]
[PrinterColumn("Protocol", "string", ".spec.protocol", Description = "How the edge exposes the tunnel.", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed record Tunnel : KubernetesObject, IKubernetesEntity<Tunnel>
{
    public static ResourceType Resource { get; } = new(CrdGroup.Name, CrdGroup.Version, "Tunnel", "tunnels", Namespaced: true);

    public static JsonTypeInfo<Tunnel> JsonType => CrdJsonContext.Default.Tunnel;

    public static JsonTypeInfo<KubernetesList<Tunnel>> ListJsonType => CrdJsonContext.Default.KubernetesListTunnel;

    [Description("Desired state: which edge, which target, and how it is exposed.")]
    [JsonPropertyOrder(1)]
    public required TunnelSpec Spec { get; init; }

    [Description("Observed state, written by the operator.")]
    [JsonPropertyOrder(2)]
    public TunnelStatus? Status { get; init; }
}
