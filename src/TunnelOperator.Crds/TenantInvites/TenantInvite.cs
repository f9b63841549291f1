using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Serialization;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.TenantInvites;

/// <summary>A tenant of an edge's hub, with the hostnames and ports it may claim, and its credential.</summary>
[Description("TenantInvite declares a tenant of an edge's hub: the hostnames (wildcards allowed) and raw ports it may claim, and how long its invite lasts. The operator creates the invite on the hub and writes the minted token into a Secret; an agent holding that token can then publish services for those names and ports only. Deleting the object revokes the invite and removes the tenant.")]
[KubernetesEntity(ShortNames = ["invite"], Categories = ["tunneloperator"])]
[PrinterColumn("Tenant", "string", ".spec.tenantName", Description = "Name of the tenant on the hub.")]
[PrinterColumn("Edge", "string", ".spec.edgeRef.name", Description = "The EdgeNode whose hub holds the tenant.", Priority = 1)]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Description = "Whether the tenant exists and its token is in the Secret.")]
[PrinterColumn("Expires", "date", ".status.expiresAt", Description = "When the invite stops being valid.")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed record TenantInvite : KubernetesObject, IKubernetesEntity<TenantInvite>
{
    public static ResourceType Resource { get; } = new(CrdGroup.Name, CrdGroup.Version, "TenantInvite", "tenantinvites", Namespaced: true);

    public static JsonTypeInfo<TenantInvite> JsonType => CrdJsonContext.Default.TenantInvite;

    public static JsonTypeInfo<KubernetesList<TenantInvite>> ListJsonType => CrdJsonContext.Default.KubernetesListTenantInvite;

    [Description("Desired state: edge, tenant, allowed hostnames and ports, lifetime and target Secret.")]
    [JsonPropertyOrder(1)]
    public required TenantInviteSpec Spec { get; init; }

    [Description("Observed state, written by the operator.")]
    [JsonPropertyOrder(2)]
    public TenantInviteStatus? Status { get; init; }
}
