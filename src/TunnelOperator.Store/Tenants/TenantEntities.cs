namespace TunnelOperator.Store.Tenants;

/// <summary>Row of <c>tenants</c>: allowed hostnames as comma-separated patterns, ports as a range list ("" = any).</summary>
internal sealed class TenantEntity
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string AllowedHostnames { get; set; } = string.Empty;
    public string AllowedPorts { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
}

/// <summary>Row of <c>invites</c>; <see cref="SecretHash"/> is SHA-256 of the 32-byte secret.</summary>
internal sealed class InviteEntity
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public byte[] SecretHash { get; set; } = [];
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Row of <c>tenant_entries</c>: one hostname or port a tenant holds.</summary>
internal sealed class TenantEntryEntity
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public string Kind { get; set; } = string.Empty;
    public string Key { get; set; } = string.Empty;
    public string Service { get; set; } = string.Empty;
    public string Source { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
}

/// <summary>Row of <c>tenant_agents</c>: one agent process (a random id per start).</summary>
internal sealed class TenantAgentEntity
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public string ConfigHash { get; set; } = string.Empty;
    public DateTime? RevokedAt { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
}

/// <summary>Row of <c>edges</c>: an agent endpoint some edge advertised.</summary>
internal sealed class EdgeEntity
{
    public string Url { get; set; } = string.Empty;
    public DateTime LastSeenAt { get; set; }
}
