namespace TunnelOperator.Crds.TenantInvites;

/// <summary>Condition types a <see cref="TenantInvite"/> reports.</summary>
public static class TenantInviteConditions
{
    /// <summary>The tenant exists on the hub and its token is in the Secret.</summary>
    public const string Ready = "Ready";

    /// <summary>The invite's lifetime has passed; the hub refuses its token.</summary>
    public const string Expired = "Expired";
}
