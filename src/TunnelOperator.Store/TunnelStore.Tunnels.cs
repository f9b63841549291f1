using Microsoft.EntityFrameworkCore;
using TunnelOperator.Store.Data;
using TunnelOperator.Store.Database;

namespace TunnelOperator.Store;

public sealed partial class TunnelStore
{
    /// <summary>
    /// True when a named tunnel, of any user, owns <paramref name="subdomain"/>: it stays that
    /// tunnel's while its owner is offline. Throws <see cref="StoreUnavailableException"/> when
    /// the database cannot be reached.
    /// </summary>
    public Task<bool> IsSubdomainTakenAsync(string subdomain, CancellationToken ct = default) =>
        ExecuteAsync((db, token) => db.Tunnels.AnyAsync(t => t.Subdomain == subdomain, token), transaction: false, ct);

    /// <summary>
    /// The user's tunnel called <paramref name="name"/>: the existing row when there is one (a
    /// name keeps its subdomain forever), otherwise a new row with subdomain
    /// <c>&lt;name&gt;-&lt;slug&gt;</c>. Concurrent claims of one name yield one row.
    /// </summary>
    public async Task<StoreResult<TunnelRecord>> ClaimNamedTunnelAsync(Guid userId, string name, CancellationToken ct = default)
    {
        if (!TunnelNames.TryValidateName(name, out var problem))
        {
            return Fail<TunnelRecord>(StoreError.InvalidArgument, problem);
        }

        var noUser = $"no user with id {userId}";
        try
        {
            return await WriteRetryingConflictsAsync(async (db, token) =>
            {
                var existing = await db.Tunnels.FirstOrDefaultAsync(t => t.UserId == userId && t.Name == name, token).ConfigureAwait(false);
                if (existing is not null)
                {
                    return StoreResult<TunnelRecord>.Success(existing.ToRecord());
                }

                var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, token).ConfigureAwait(false);
                if (user is null)
                {
                    return Fail<TunnelRecord>(StoreError.NotFound, noUser);
                }

                var subdomain = $"{name}-{user.Slug}";
                if (!TunnelNames.IsDnsLabel(subdomain))
                {
                    var room = TunnelNames.MaxLabelLength - 1 - user.Slug.Length;
                    return Fail<TunnelRecord>(StoreError.InvalidArgument,
                        $"tunnel name '{name}' would make the subdomain '{subdomain}', {subdomain.Length} characters long, but a DNS label holds at most {TunnelNames.MaxLabelLength}; "
                        + $"use a name of at most {room} characters (your slug '{user.Slug}' takes the rest)");
                }

                var holder = await db.Tunnels.FirstOrDefaultAsync(t => t.Subdomain == subdomain, token).ConfigureAwait(false);
                if (holder is not null && holder.UserId == userId && holder.Name == name)
                {
                    // A concurrent claim of this very tunnel committed between our two reads
                    // (read committed gives each statement a fresh snapshot on PostgreSQL).
                    return StoreResult<TunnelRecord>.Success(holder.ToRecord());
                }

                if (holder is not null)
                {
                    // Subdomains are <name>-<slug> and slugs are unique, so this only happens
                    // when an admin rewrote a slug; the other tunnel keeps its subdomain.
                    return Fail<TunnelRecord>(StoreError.Conflict, $"subdomain '{subdomain}' is already taken by another tunnel; choose another name");
                }

                var now = Timestamps.Now(_time);
                var tunnel = new TunnelEntity { Id = Guid.CreateVersion7(now), UserId = userId, Name = name, Subdomain = subdomain, CreatedAt = now };
                db.Tunnels.Add(tunnel);
                await db.SaveChangesAsync(token).ConfigureAwait(false);
                return StoreResult<TunnelRecord>.Success(tunnel.ToRecord());
            }, $"could not claim tunnel '{name}': concurrent claims kept conflicting; try again", ct).ConfigureAwait(false);
        }
        catch (Exception e) when (DbFailures.IsForeignKeyViolation(e))
        {
            // The user was deleted between the lookup and the insert.
            return Fail<TunnelRecord>(StoreError.NotFound, noUser);
        }
    }
}
