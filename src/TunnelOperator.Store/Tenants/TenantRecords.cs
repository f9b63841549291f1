namespace TunnelOperator.Store.Tenants;

/// <summary>A tenant: what its invite lets it claim.</summary>
public sealed record TenantRecord(Guid Id, string Name, IReadOnlyList<string> AllowedHostnames, string AllowedPorts, DateTimeOffset CreatedAt);

/// <summary>An invite as listed (never its secret, which is not stored).</summary>
public sealed record InviteRecord(Guid Id, Guid TenantId, string TenantName, IReadOnlyList<string> AllowedHostnames, string AllowedPorts, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>A new invite and its secret, which exists only in this value.</summary>
public sealed record CreatedInvite(InviteRecord Invite, byte[] Secret);

/// <summary>A tenant whose invite secret checked out.</summary>
public sealed record AuthenticatedTenant(TenantRecord Tenant, Guid InviteId);

/// <summary>What a tenant holds: a hostname, or a TCP or UDP port.</summary>
public enum EntryKind
{
    Hostname,
    Tcp,
    Udp,
}

/// <summary>Who made an entry: an agent's declaration (reconciled at each agent start) or <c>tunnelctl entry submit</c>.</summary>
public enum EntrySource
{
    Agent,
    Manual,
}

/// <summary>One entry a tenant holds.</summary>
public sealed record TenantEntryRecord(EntryKind Kind, string Key, string Service, EntrySource Source, DateTimeOffset CreatedAt);

/// <summary>One declared service, as the hub checks it.</summary>
public sealed record ServiceClaim(string Service, EntryKind Kind, string Hostname, int Port)
{
    public string Key => Kind == EntryKind.Hostname ? Hostname : Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Why a claim was or was not granted.</summary>
public enum ClaimVerdict
{
    Accepted,
    /// <summary>Not a valid hostname or port.</summary>
    Invalid,
    /// <summary>Valid, but outside what the invite (or the edge's privileged-port rule) allows.</summary>
    NotAllowed,
    /// <summary>Another tenant holds it (or a wildcard that overlaps it).</summary>
    Taken,
    /// <summary>The same hostname or port appears twice in one declaration.</summary>
    Duplicate,
}

/// <summary>The verdict on one <see cref="ServiceClaim"/>, with a reason for the tenant when refused.</summary>
public sealed record ClaimOutcome(ServiceClaim Claim, ClaimVerdict Verdict, string? Reason)
{
    public bool Accepted => Verdict == ClaimVerdict.Accepted;
}

/// <summary>How a live tenant agent stands, checked periodically by its session.</summary>
public enum TenantAgentStanding
{
    Active,
    /// <summary>The tenant was removed (invite revoked, tenant removed, or it left).</summary>
    TenantGone,
    /// <summary>The invite the agent authenticated with expired or was replaced.</summary>
    InviteInvalid,
    /// <summary>A later agent start with another service set superseded this agent.</summary>
    Superseded,
}

/// <summary>The result of reconciling an agent's declaration with the hub.</summary>
/// <summary>
/// The result of reconciling an agent's declaration with the hub. <see cref="Superseded"/>
/// means this agent id was revoked by a later start and must stop.
/// </summary>
public sealed record AgentSyncResult(IReadOnlyList<ClaimOutcome> Outcomes, IReadOnlyList<Guid> RevokedAgents, bool Superseded);
