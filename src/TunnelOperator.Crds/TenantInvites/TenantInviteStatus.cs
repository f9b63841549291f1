using TunnelOperator.Crds.Generation;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.TenantInvites;

/// <summary>The observed state of a <see cref="TenantInvite"/>, written by the operator.</summary>
public sealed record TenantInviteStatus
{
    [Description("Identifier of the tenant the hub created for this invite.")]
    public string? TenantId { get; init; }

    [Description("Identifier of the invite on the hub; deleting the TenantInvite revokes it and removes the tenant.")]
    public string? InviteId { get; init; }

    [Description("When the invite stops being valid: creation time plus spec.expires. Absent for invites that never expire.")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [Description("Latest observations: Ready (the tenant exists and the token is in the Secret) and Expired (expiresAt has passed and the hub refuses the token).")]
    [ListMapKeys("type")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }
}
