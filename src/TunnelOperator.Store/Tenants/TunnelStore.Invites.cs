using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TunnelOperator.Store.Data;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Store;

/// <summary>Tenants and invites: create, list, revoke, authenticate, and the edges agents are told about.</summary>
public sealed partial class TunnelStore
{
    public const int MaxTenantNameLength = 64;

    /// <summary>
    /// Creates a tenant and its invite. The secret (32 random bytes) is in the result and
    /// nowhere else: only its SHA-256 is stored.
    /// </summary>
    public async Task<StoreResult<CreatedInvite>> CreateInviteAsync(string name, string? hostnames, string? ports, DateTimeOffset? expiresAt, CancellationToken ct = default)
    {
        var tenantName = name?.Trim() ?? string.Empty;
        if (!IsTenantName(tenantName))
        {
            return Fail<CreatedInvite>(StoreError.InvalidArgument, $"tenant name '{tenantName}' is not usable: use 1-{MaxTenantNameLength} characters of letters, digits, '.', '_' and '-', starting with a letter or digit");
        }

        if (!HostnamePatterns.TryParseList(hostnames, out var patterns, out var problem))
        {
            return Fail<CreatedInvite>(StoreError.InvalidArgument, problem);
        }

        if (!PortRanges.TryParse(ports, out var portRanges, out problem))
        {
            return Fail<CreatedInvite>(StoreError.InvalidArgument, problem);
        }

        var now = Timestamps.Now(_time);
        if (expiresAt is { } expiry && expiry.UtcDateTime <= now)
        {
            return Fail<CreatedInvite>(StoreError.InvalidArgument, "the invite would already be expired; give a positive --expires");
        }

        return await WriteRetryingConflictsAsync(async (db, token) =>
        {
            if (await db.Tenants.AnyAsync(t => t.Name == tenantName, token).ConfigureAwait(false))
            {
                return Fail<CreatedInvite>(StoreError.AlreadyExists, $"a tenant named '{tenantName}' already exists; pick another --name, or revoke its invite first");
            }

            var secret = RandomNumberGenerator.GetBytes(InviteSecretBytes);
            var tenant = new TenantEntity
            {
                Id = Guid.CreateVersion7(now),
                Name = tenantName,
                AllowedHostnames = string.Join(',', patterns),
                AllowedPorts = portRanges.ToString(),
                CreatedAt = now,
            };
            var invite = new InviteEntity
            {
                Id = Guid.CreateVersion7(now),
                TenantId = tenant.Id,
                SecretHash = SHA256.HashData(secret),
                ExpiresAt = expiresAt is { } e ? new DateTime(e.UtcTicks - (e.UtcTicks % 10), DateTimeKind.Utc) : null,
                CreatedAt = now,
            };
            db.Tenants.Add(tenant);
            db.Invites.Add(invite);
            await db.SaveChangesAsync(token).ConfigureAwait(false);
            return StoreResult<CreatedInvite>.Success(new CreatedInvite(ToInvite(invite, tenant), secret));
        }, $"could not create the invite for '{tenantName}'; try again", ct).ConfigureAwait(false);
    }

    /// <summary>Every invite with its tenant, oldest first.</summary>
    public async Task<IReadOnlyList<InviteRecord>> ListInvitesAsync(CancellationToken ct = default)
    {
        var rows = await ExecuteAsync(
            (db, token) => db.Invites.Join(db.Tenants, i => i.TenantId, t => t.Id, (i, t) => new { Invite = i, Tenant = t })
                .OrderBy(r => r.Invite.CreatedAt).ThenBy(r => r.Invite.Id)
                .ToListAsync(token),
            transaction: false, ct).ConfigureAwait(false);
        return rows.Select(r => ToInvite(r.Invite, r.Tenant)).ToList();
    }

    /// <summary>
    /// Revokes an invite. An invite is its tenant's credential, so the tenant goes with it,
    /// with everything it held. Returns the removed tenant's id, or null when there is no such invite.
    /// </summary>
    public Task<Guid?> RevokeInviteAsync(Guid inviteId, CancellationToken ct = default) =>
        ExecuteAsync(async (db, token) =>
        {
            var tenantId = await db.Invites.Where(i => i.Id == inviteId).Select(i => (Guid?)i.TenantId).FirstOrDefaultAsync(token).ConfigureAwait(false);
            if (tenantId is null)
            {
                return null;
            }

            await db.Tenants.Where(t => t.Id == tenantId).ExecuteDeleteAsync(token).ConfigureAwait(false);
            return tenantId;
        }, transaction: true, ct);

    /// <summary>Removes a tenant, its invites, entries and agents; false when there is no such tenant.</summary>
    public Task<bool> RemoveTenantAsync(Guid tenantId, CancellationToken ct = default) =>
        ExecuteAsync(
            async (db, token) => await db.Tenants.Where(t => t.Id == tenantId).ExecuteDeleteAsync(token).ConfigureAwait(false) > 0,
            transaction: true, ct);

    public async Task<TenantRecord?> FindTenantAsync(Guid tenantId, CancellationToken ct = default)
    {
        var row = await ExecuteAsync((db, token) => db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, token), transaction: false, ct).ConfigureAwait(false);
        return row is null ? null : ToTenant(row);
    }

    /// <summary>
    /// Checks an invite secret. Refusals are <see cref="StoreError.NotFound"/> with a message for
    /// the agent: unknown or wrong (the same words, so a guess learns nothing), or expired.
    /// </summary>
    public async Task<StoreResult<AuthenticatedTenant>> AuthenticateInviteAsync(Guid tenantId, Guid inviteId, byte[] secret, CancellationToken ct = default)
    {
        var hash = SHA256.HashData(secret);
        var now = Timestamps.Now(_time);
        var row = await ExecuteAsync(
            (db, token) => db.Invites.Where(i => i.Id == inviteId && i.TenantId == tenantId)
                .Join(db.Tenants, i => i.TenantId, t => t.Id, (i, t) => new { Invite = i, Tenant = t })
                .FirstOrDefaultAsync(token),
            transaction: false, ct).ConfigureAwait(false);
        if (row is null || !CryptographicOperations.FixedTimeEquals(row.Invite.SecretHash, hash))
        {
            return Fail<AuthenticatedTenant>(StoreError.NotFound, "invalid invite token: it was revoked, its tenant was removed, or it was never issued by this hub");
        }

        if (row.Invite.ExpiresAt is { } expires && expires <= now)
        {
            return Fail<AuthenticatedTenant>(StoreError.NotFound, $"the invite expired at {Timestamps.ToOffset(expires):u}; ask the hub's operator for a new one");
        }

        return StoreResult<AuthenticatedTenant>.Success(new AuthenticatedTenant(ToTenant(row.Tenant), row.Invite.Id));
    }

    /// <summary>
    /// Whether a live tenant agent may stay connected (polled by its session). For an agent
    /// that may, it also records that the agent was seen (at most once a minute), which keeps
    /// its row from being pruned (see <see cref="SyncAgentAsync"/>). An agent whose row is gone
    /// counts as superseded: rows go only when revoked or long unseen.
    /// </summary>
    public Task<TenantAgentStanding> CheckTenantAgentAsync(Guid tenantId, Guid inviteId, Guid? agentId, CancellationToken ct = default)
    {
        var now = Timestamps.Now(_time);
        return ExecuteAsync(async (db, token) =>
        {
            if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, token).ConfigureAwait(false))
            {
                return TenantAgentStanding.TenantGone;
            }

            var invite = await db.Invites.FirstOrDefaultAsync(i => i.Id == inviteId, token).ConfigureAwait(false);
            if (invite is null || invite.ExpiresAt <= now)
            {
                return TenantAgentStanding.InviteInvalid;
            }

            if (agentId is { } id)
            {
                var agent = await db.TenantAgents.FirstOrDefaultAsync(a => a.Id == id, token).ConfigureAwait(false);
                if (agent is null || agent.RevokedAt is not null)
                {
                    return TenantAgentStanding.Superseded;
                }

                if (agent.LastSeenAt < now - AgentSeenResolution)
                {
                    await db.TenantAgents.Where(a => a.Id == id).ExecuteUpdateAsync(set => set.SetProperty(a => a.LastSeenAt, now), token).ConfigureAwait(false);
                }
            }

            return TenantAgentStanding.Active;
        }, transaction: false, ct);
    }

    /// <summary>Records an agent endpoint this edge advertises; invites embed every recorded one.</summary>
    public Task RecordEdgeAsync(string url, CancellationToken ct = default)
    {
        var now = Timestamps.Now(_time);
        return ExecuteAsync(async (db, token) =>
        {
            var row = await db.Edges.AsTracking().FirstOrDefaultAsync(e => e.Url == url, token).ConfigureAwait(false);
            if (row is null)
            {
                db.Edges.Add(new EdgeEntity { Url = url, LastSeenAt = now });
            }
            else
            {
                row.LastSeenAt = now;
            }

            try
            {
                await db.SaveChangesAsync(token).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (Database.DbFailures.IsUniqueViolation(e))
            {
                // Another replica recorded the same URL at the same moment: it is recorded.
            }

            return true;
        }, transaction: false, ct);
    }

    /// <summary>Recorded edge endpoints, most recently seen first.</summary>
    public Task<List<string>> ListEdgeUrlsAsync(CancellationToken ct = default) =>
        ExecuteAsync((db, token) => db.Edges.OrderByDescending(e => e.LastSeenAt).ThenBy(e => e.Url).Select(e => e.Url).ToListAsync(token), transaction: false, ct);

    internal const int InviteSecretBytes = 32;

    /// <summary>The store's clock, for callers that compute expiry times.</summary>
    public DateTimeOffset Now() => _time.GetUtcNow();

    private static bool IsTenantName(string name) =>
        name.Length is > 0 and <= MaxTenantNameLength
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static TenantRecord ToTenant(TenantEntity t) =>
        new(t.Id, t.Name, SplitPatterns(t.AllowedHostnames), t.AllowedPorts, Timestamps.ToOffset(t.CreatedAt));

    private static InviteRecord ToInvite(InviteEntity i, TenantEntity t) =>
        new(i.Id, t.Id, t.Name, SplitPatterns(t.AllowedHostnames), t.AllowedPorts, i.ExpiresAt is { } e ? Timestamps.ToOffset(e) : null, Timestamps.ToOffset(i.CreatedAt));

    private static string[] SplitPatterns(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
