using Microsoft.EntityFrameworkCore;
using TunnelOperator.Store.Data;

namespace TunnelOperator.Store;

public sealed partial class TunnelStore
{
    /// <summary>Bounded so that a nearly exhausted slug space ends in an answer, not a loop.</summary>
    private const int MaxSlugAttempts = 16;

    /// <summary>
    /// Creates a user with a fresh slug. The email is stored trimmed and lowercased; a second
    /// user with the same address (in any case) is <see cref="StoreError.AlreadyExists"/>.
    /// </summary>
    public Task<StoreResult<UserRecord>> CreateUserAsync(string email, CancellationToken ct = default)
    {
        if (!EmailAddresses.TryNormalize(email, out var normalized, out var problem))
        {
            return Task.FromResult(Fail<UserRecord>(StoreError.InvalidArgument, problem));
        }

        var baseSlug = Slugs.BaseFromEmail(normalized);
        return WriteRetryingConflictsAsync(async (db, token) =>
        {
            if (await db.Users.AnyAsync(u => u.Email == normalized, token).ConfigureAwait(false))
            {
                return Fail<UserRecord>(StoreError.AlreadyExists, $"a user with email {normalized} already exists");
            }

            var slug = await FindFreeSlugAsync(db, baseSlug, token).ConfigureAwait(false);
            if (slug is null)
            {
                return Fail<UserRecord>(StoreError.Conflict, $"could not find a free slug for '{baseSlug}' in {MaxSlugAttempts} tries; try again");
            }

            var now = Timestamps.Now(_time);
            var user = new UserEntity { Id = Guid.CreateVersion7(now), Email = normalized, Slug = slug, CreatedAt = now };
            db.Users.Add(user);
            await db.SaveChangesAsync(token).ConfigureAwait(false);
            return StoreResult<UserRecord>.Success(user.ToRecord());
        }, $"could not create user {normalized}: other writers kept taking the same email or slug; try again", ct);
    }

    /// <summary>The user with this email (any case, surrounding spaces ignored), or null.</summary>
    public async Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken ct = default)
    {
        if (!EmailAddresses.TryNormalize(email, out var normalized, out _))
        {
            return null;
        }

        var user = await ExecuteAsync(
            (db, token) => db.Users.FirstOrDefaultAsync(u => u.Email == normalized, token),
            transaction: false, ct).ConfigureAwait(false);
        return user?.ToRecord();
    }

    /// <summary>All users, oldest first.</summary>
    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct = default)
    {
        var users = await ExecuteAsync(
            (db, token) => db.Users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Email).ToListAsync(token),
            transaction: false, ct).ConfigureAwait(false);
        return users.Select(u => u.ToRecord()).ToList();
    }

    private async Task<string?> FindFreeSlugAsync(StoreDbContext db, string baseSlug, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxSlugAttempts; attempt++)
        {
            var slug = Slugs.Compose(baseSlug, SlugSuffixes());
            if (!await db.Users.AnyAsync(u => u.Slug == slug, ct).ConfigureAwait(false))
            {
                return slug;
            }
        }

        return null;
    }
}
