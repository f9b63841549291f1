using Microsoft.EntityFrameworkCore;
using TunnelOperator.Store.Data;
using TunnelOperator.Store.Database;

namespace TunnelOperator.Store;

public sealed partial class TunnelStore
{
    /// <summary>
    /// Issues a token for an existing user. The plaintext is in the result and nowhere else:
    /// only its SHA-256 is stored.
    /// </summary>
    public async Task<StoreResult<IssuedToken>> IssueTokenAsync(string email, string name, CancellationToken ct = default)
    {
        if (!EmailAddresses.TryNormalize(email, out var normalized, out var problem))
        {
            return Fail<IssuedToken>(StoreError.InvalidArgument, problem);
        }

        if (!ApiTokens.TryNormalizeName(name, out var tokenName, out problem))
        {
            return Fail<IssuedToken>(StoreError.InvalidArgument, problem);
        }

        var noUser = $"no user with email {normalized}; create it with 'tunneld admin create-user --email {normalized}'";
        try
        {
            return await WriteRetryingConflictsAsync(async (db, token) =>
            {
                var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, token).ConfigureAwait(false);
                if (user is null)
                {
                    return Fail<IssuedToken>(StoreError.NotFound, noUser);
                }

                var plaintext = ApiTokens.Generate();
                var now = Timestamps.Now(_time);
                var row = new ApiTokenEntity
                {
                    Id = Guid.CreateVersion7(now),
                    UserId = user.Id,
                    TokenHash = ApiTokens.Hash(plaintext),
                    Name = tokenName,
                    CreatedAt = now,
                };
                db.ApiTokens.Add(row);
                await db.SaveChangesAsync(token).ConfigureAwait(false);
                return StoreResult<IssuedToken>.Success(new IssuedToken(row.Id, row.Name, plaintext, user.ToRecord()));
            }, $"could not issue a token for {normalized}; try again", ct).ConfigureAwait(false);
        }
        catch (Exception e) when (DbFailures.IsForeignKeyViolation(e))
        {
            // The user was deleted between the lookup and the insert.
            return Fail<IssuedToken>(StoreError.NotFound, noUser);
        }
    }

    /// <summary>All tokens with their owners, oldest first. Never the plaintext, which is not stored.</summary>
    public async Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken ct = default)
    {
        var rows = await ExecuteAsync(
            (db, token) => db.ApiTokens
                .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.Id, t.UserId, u.Email, t.Name, t.CreatedAt, t.LastUsedAt })
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
                .ToListAsync(token),
            transaction: false, ct).ConfigureAwait(false);
        return rows
            .Select(r => new TokenRecord(r.Id, r.UserId, r.Email, r.Name, Timestamps.ToOffset(r.CreatedAt), r.LastUsedAt is { } used ? Timestamps.ToOffset(used) : null))
            .ToList();
    }

    /// <summary>Deletes the token; false when there is no such token.</summary>
    public Task<bool> RevokeTokenAsync(Guid tokenId, CancellationToken ct = default) =>
        ExecuteAsync(
            async (db, token) => await db.ApiTokens.Where(t => t.Id == tokenId).ExecuteDeleteAsync(token).ConfigureAwait(false) > 0,
            transaction: true, ct);

    /// <summary>
    /// The user and token id for a presented token, or null when it is malformed, unknown or
    /// revoked. Records the use in <c>last_used_at</c>.
    /// </summary>
    public async Task<AuthenticatedToken?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        if (!ApiTokens.TryParse(token, out var plaintext))
        {
            return null;
        }

        var hash = ApiTokens.Hash(plaintext);
        var now = Timestamps.Now(_time);
        return await ExecuteAsync(async (db, cancel) =>
        {
            var match = await db.ApiTokens
                .Where(t => t.TokenHash == hash)
                .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { TokenId = t.Id, User = u })
                .FirstOrDefaultAsync(cancel).ConfigureAwait(false);
            if (match is null)
            {
                return null;
            }

            // One statement, so its own transaction. Zero rows means the token was revoked
            // between the two statements: treat it as revoked.
            var updated = await db.ApiTokens.Where(t => t.Id == match.TokenId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancel).ConfigureAwait(false);
            return updated == 0 ? null : new AuthenticatedToken(match.User.ToRecord(), match.TokenId);
        }, transaction: false, ct).ConfigureAwait(false);
    }

    /// <summary>Whether the token still exists; live sessions poll this to notice revocation.</summary>
    public Task<bool> TokenExistsAsync(Guid tokenId, CancellationToken ct = default) =>
        ExecuteAsync((db, token) => db.ApiTokens.AnyAsync(t => t.Id == tokenId, token), transaction: false, ct);
}
