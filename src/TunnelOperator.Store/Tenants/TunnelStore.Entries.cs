using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TunnelOperator.Store.Data;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Store;

/// <summary>
/// What tenants hold: hostnames and TCP/UDP ports, unique across tenants (per protocol for
/// ports), within what each invite allows. Agents reconcile their declaration at each start;
/// tenants add and remove hostnames by hand with <c>tunnelctl entry</c>.
/// </summary>
public sealed partial class TunnelStore
{
    /// <summary>The lowest port a tenant may claim unless the edge allows privileged ports.</summary>
    public const int FirstUnprivilegedPort = 1024;

    /// <summary>A live agent's row is marked seen at most this often (by its session's standing checks).</summary>
    public static readonly TimeSpan AgentSeenResolution = TimeSpan.FromMinutes(1);

    /// <summary>An unrevoked agent unseen this long is gone (a live one is seen every minute), and its row is pruned.</summary>
    public static readonly TimeSpan UnseenAgentRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// Reconciles one agent's complete declaration with the hub:
    /// <list type="number">
    /// <item>an agent id revoked earlier is told it was superseded, and nothing changes;</item>
    /// <item>an agent id seen for the first time (a fresh start) becomes current: agents of the
    ///   tenant with a different service set are revoked, replicas with the same set stay;</item>
    /// <item>each claim is checked (valid, allowed by the invite and the privileged-port rule,
    ///   not held by another tenant, not declared twice) and the accepted ones are upserted;</item>
    /// <item>the tenant's agent-made entries that were not accepted this time are deleted
    ///   (entries made by hand stay);</item>
    /// <item>the tenant's unrevoked agent rows unseen for <see cref="UnseenAgentRetention"/> are
    ///   pruned: every agent start (a pod restart) adds a row, and without this the table would
    ///   grow with each; revoked rows grow only with configuration changes and are kept.</item>
    /// </list>
    /// One transaction, retried when a concurrent writer wins a unique index.
    /// </summary>
    public async Task<StoreResult<AgentSyncResult>> SyncAgentAsync(Guid tenantId, Guid agentId, string configHash, IReadOnlyList<ServiceClaim> claims, bool allowPrivilegedPorts, CancellationToken ct = default)
    {
        var now = Timestamps.Now(_time);
        return await WriteRetryingConflictsAsync(async (db, token) =>
        {
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, token).ConfigureAwait(false);
            if (tenant is null)
            {
                return Fail<AgentSyncResult>(StoreError.NotFound, "the tenant no longer exists: its invite was revoked or it was removed");
            }

            var agent = await db.TenantAgents.AsTracking().FirstOrDefaultAsync(a => a.Id == agentId, token).ConfigureAwait(false);
            if (agent is not null && (agent.TenantId != tenantId || agent.RevokedAt is not null))
            {
                return StoreResult<AgentSyncResult>.Success(new AgentSyncResult([], [], Superseded: true));
            }

            // Pruned before the revocations below load (and track) the rows they change. Only
            // unrevoked rows go: they all carry the current configuration (a change revokes every
            // other), so one that comes back later is a harmless replica. Revoked rows stay, or a
            // superseded agent that was cut off and returns would count as a fresh start.
            var unseenBefore = now - UnseenAgentRetention;
            await db.TenantAgents
                .Where(a => a.TenantId == tenantId && a.Id != agentId && a.RevokedAt == null && a.LastSeenAt < unseenBefore)
                .ExecuteDeleteAsync(token).ConfigureAwait(false);

            var revoked = new List<Guid>();
            if (agent is null || agent.ConfigHash != configHash)
            {
                var stale = await db.TenantAgents.AsTracking()
                    .Where(a => a.TenantId == tenantId && a.Id != agentId && a.RevokedAt == null && a.ConfigHash != configHash)
                    .ToListAsync(token).ConfigureAwait(false);
                foreach (var other in stale)
                {
                    other.RevokedAt = now;
                    revoked.Add(other.Id);
                }
            }

            if (agent is null)
            {
                db.TenantAgents.Add(new TenantAgentEntity { Id = agentId, TenantId = tenantId, ConfigHash = configHash, FirstSeenAt = now, LastSeenAt = now });
            }
            else
            {
                agent.ConfigHash = configHash;
                agent.LastSeenAt = now;
            }

            var outcomes = new List<ClaimOutcome>();
            var accepted = new HashSet<(string Kind, string Key)>();
            foreach (var claim in claims)
            {
                var (outcome, normalized) = await CheckClaimAsync(db, tenant, claim, allowPrivilegedPorts, token).ConfigureAwait(false);
                if (outcome.Accepted && accepted.Contains((KindText(normalized.Kind), normalized.Key)))
                {
                    outcome = new ClaimOutcome(claim, ClaimVerdict.Duplicate, $"{Describe(normalized)} is declared twice; each hostname or port may appear once");
                }

                if (outcome.Accepted)
                {
                    outcome = await UpsertEntryAsync(db, tenantId, normalized, EntrySource.Agent, now, token).ConfigureAwait(false)
                        ? outcome
                        : TakenMeanwhile(normalized);
                }

                if (outcome.Accepted)
                {
                    accepted.Add((KindText(normalized.Kind), normalized.Key));
                }

                outcomes.Add(outcome);
            }

            var agentSource = SourceText(EntrySource.Agent);
            var mine = await db.TenantEntries.AsTracking().Where(e => e.TenantId == tenantId && e.Source == agentSource).ToListAsync(token).ConfigureAwait(false);
            db.TenantEntries.RemoveRange(mine.Where(e => !accepted.Contains((e.Kind, e.Key))));
            await db.SaveChangesAsync(token).ConfigureAwait(false);
            return StoreResult<AgentSyncResult>.Success(new AgentSyncResult(outcomes, revoked, Superseded: false));
        }, "could not reconcile the agent's services; it will retry", ct).ConfigureAwait(false);
    }

    /// <summary>Everything the tenant holds, hostnames first.</summary>
    public async Task<IReadOnlyList<TenantEntryRecord>> ListEntriesAsync(Guid tenantId, CancellationToken ct = default)
    {
        var rows = await ExecuteAsync(
            (db, token) => db.TenantEntries.Where(e => e.TenantId == tenantId).ToListAsync(token),
            transaction: false, ct).ConfigureAwait(false);
        return rows
            .Select(e => new TenantEntryRecord(ParseKind(e.Kind), e.Key, e.Service, e.Source == SourceText(EntrySource.Manual) ? EntrySource.Manual : EntrySource.Agent, Timestamps.ToOffset(e.CreatedAt)))
            .OrderBy(e => e.Kind).ThenBy(e => e.Kind == EntryKind.Hostname ? e.Key : e.Key.PadLeft(5, '0'), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Claims a hostname by hand (<c>tunnelctl entry submit --op upsert-hostname</c>); it stays until deleted by hand.</summary>
    public async Task<StoreResult<ClaimOutcome>> UpsertHostnameAsync(Guid tenantId, string hostname, CancellationToken ct = default)
    {
        var now = Timestamps.Now(_time);
        return await WriteRetryingConflictsAsync(async (db, token) =>
        {
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, token).ConfigureAwait(false);
            if (tenant is null)
            {
                return Fail<ClaimOutcome>(StoreError.NotFound, "the tenant no longer exists");
            }

            var claim = new ServiceClaim(string.Empty, EntryKind.Hostname, hostname, 0);
            var (outcome, normalized) = await CheckClaimAsync(db, tenant, claim, allowPrivilegedPorts: false, token).ConfigureAwait(false);
            if (outcome.Accepted && !await UpsertEntryAsync(db, tenantId, normalized, EntrySource.Manual, now, token).ConfigureAwait(false))
            {
                outcome = TakenMeanwhile(normalized);
            }

            if (outcome.Accepted)
            {
                await db.SaveChangesAsync(token).ConfigureAwait(false);
            }

            return StoreResult<ClaimOutcome>.Success(outcome with { Claim = normalized });
        }, $"could not claim {hostname}; try again", ct).ConfigureAwait(false);
    }

    /// <summary>Releases a hostname the tenant holds (however it was claimed); false when it held none.</summary>
    public Task<bool> DeleteHostnameAsync(Guid tenantId, string hostname, CancellationToken ct = default)
    {
        HostnamePatterns.TryNormalize(hostname, out var normalized, out _);
        var kind = KindText(EntryKind.Hostname);
        return ExecuteAsync(
            async (db, token) => await db.TenantEntries.Where(e => e.TenantId == tenantId && e.Kind == kind && e.Key == normalized).ExecuteDeleteAsync(token).ConfigureAwait(false) > 0,
            transaction: true, ct);
    }

    private static async Task<(ClaimOutcome Outcome, ServiceClaim Normalized)> CheckClaimAsync(StoreDbContext db, TenantEntity tenant, ServiceClaim claim, bool allowPrivilegedPorts, CancellationToken ct)
    {
        if (claim.Kind == EntryKind.Hostname)
        {
            if (!HostnamePatterns.TryNormalize(claim.Hostname, out var hostname, out var problem))
            {
                return (new ClaimOutcome(claim, ClaimVerdict.Invalid, problem), claim);
            }

            var normalized = claim with { Hostname = hostname, Service = claim.Service.Length == 0 ? hostname : claim.Service };
            var allowed = tenant.AllowedHostnames.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (!allowed.Any(pattern => HostnamePatterns.Covers(pattern, hostname)))
            {
                var list = allowed.Length == 0 ? "none" : string.Join(", ", allowed);
                return (new ClaimOutcome(normalized, ClaimVerdict.NotAllowed, $"hostname {hostname} is not allowed by the invite (it allows: {list})"), normalized);
            }

            if (await HeldByAnotherTenantAsync(db, tenant.Id, hostname, ct).ConfigureAwait(false))
            {
                return (new ClaimOutcome(normalized, ClaimVerdict.Taken, $"hostname {hostname} is held by another tenant"), normalized);
            }

            return (new ClaimOutcome(normalized, ClaimVerdict.Accepted, null), normalized);
        }

        if (claim.Port is < 1 or > 65535)
        {
            return (new ClaimOutcome(claim, ClaimVerdict.Invalid, $"listen port {claim.Port} is not a port (1-65535)"), claim);
        }

        if (claim.Port < FirstUnprivilegedPort && !allowPrivilegedPorts)
        {
            return (new ClaimOutcome(claim, ClaimVerdict.NotAllowed, $"{Describe(claim)} is a privileged port (below {FirstUnprivilegedPort}); the edge refuses those unless started with --allow-privileged-ports"), claim);
        }

        if (!PortRanges.TryParse(tenant.AllowedPorts, out var ports, out _) || !ports.Contains(claim.Port))
        {
            return (new ClaimOutcome(claim, ClaimVerdict.NotAllowed, $"{Describe(claim)} is not allowed by the invite (it allows ports {tenant.AllowedPorts})"), claim);
        }

        var kind = KindText(claim.Kind);
        var key = claim.Key;
        if (await db.TenantEntries.AnyAsync(e => e.Kind == kind && e.Key == key && e.TenantId != tenant.Id, ct).ConfigureAwait(false))
        {
            return (new ClaimOutcome(claim, ClaimVerdict.Taken, $"{Describe(claim)} is held by another tenant"), claim);
        }

        return (new ClaimOutcome(claim, ClaimVerdict.Accepted, null), claim);
    }

    // An exact name is also taken when another tenant holds the wildcard over it, and a
    // wildcard is taken when another tenant holds any name it would cover.
    private static async Task<bool> HeldByAnotherTenantAsync(StoreDbContext db, Guid tenantId, string hostname, CancellationToken ct)
    {
        var kind = KindText(EntryKind.Hostname);
        var others = db.TenantEntries.Where(e => e.Kind == kind && e.TenantId != tenantId);
        if (await others.AnyAsync(e => e.Key == hostname, ct).ConfigureAwait(false))
        {
            return true;
        }

        if (!HostnamePatterns.IsWildcard(hostname))
        {
            var wildcard = HostnamePatterns.WildcardOver(hostname);
            return wildcard is not null && await others.AnyAsync(e => e.Key == wildcard, ct).ConfigureAwait(false);
        }

        var suffix = hostname[1..];
        var candidates = await others.Where(e => e.Key.EndsWith(suffix)).Select(e => e.Key).ToListAsync(ct).ConfigureAwait(false);
        return candidates.Any(name => HostnamePatterns.Covers(hostname, name));
    }

    /// <summary>
    /// Writes an accepted claim; false when another tenant's row for it turned up after the check.
    /// Under READ COMMITTED (PostgreSQL) a tenant that committed the same port or hostname between
    /// our check and this read is visible here; the unique index only stops two inserts.
    /// </summary>
    private static async Task<bool> UpsertEntryAsync(StoreDbContext db, Guid tenantId, ServiceClaim claim, EntrySource source, DateTime now, CancellationToken ct)
    {
        var kind = KindText(claim.Kind);
        var key = claim.Key;
        var row = db.TenantEntries.Local.FirstOrDefault(e => e.Kind == kind && e.Key == key)
            ?? await db.TenantEntries.AsTracking().FirstOrDefaultAsync(e => e.Kind == kind && e.Key == key, ct).ConfigureAwait(false);
        if (row is null)
        {
            db.TenantEntries.Add(new TenantEntryEntity
            {
                Id = Guid.CreateVersion7(now),
                TenantId = tenantId,
                Kind = kind,
                Key = key,
                Service = claim.Service,
                Source = SourceText(source),
                CreatedAt = now,
            });
            return true;
        }

        if (row.TenantId != tenantId)
        {
            return false;
        }

        // Held by this tenant already (CheckClaimAsync ruled out everyone else): the agent's
        // declaration names the service; a hand-made claim stays hand-made.
        if (claim.Service.Length > 0)
        {
            row.Service = claim.Service;
        }

        if (source == EntrySource.Manual)
        {
            row.Source = SourceText(EntrySource.Manual);
        }

        return true;
    }

    private static ClaimOutcome TakenMeanwhile(ServiceClaim claim) =>
        new(claim, ClaimVerdict.Taken, $"{Describe(claim)} is held by another tenant");

    internal static string KindText(EntryKind kind) => kind switch
    {
        EntryKind.Hostname => "hostname",
        EntryKind.Tcp => "tcp",
        _ => "udp",
    };

    private static EntryKind ParseKind(string kind) => kind switch
    {
        "hostname" => EntryKind.Hostname,
        "tcp" => EntryKind.Tcp,
        _ => EntryKind.Udp,
    };

    private static string SourceText(EntrySource source) => source == EntrySource.Manual ? "manual" : "agent";

    private static string Describe(ServiceClaim claim) => claim.Kind switch
    {
        EntryKind.Hostname => $"hostname {claim.Hostname}",
        EntryKind.Tcp => $"port {claim.Port.ToString(CultureInfo.InvariantCulture)}/tcp",
        _ => $"port {claim.Port.ToString(CultureInfo.InvariantCulture)}/udp",
    };
}
