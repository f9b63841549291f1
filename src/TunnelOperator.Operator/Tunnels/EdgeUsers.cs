using System.Collections.Concurrent;
using TunnelOperator.Operator.EdgeAdmin;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>
/// Creates an edge user only when it is missing, one creation per edge at a time, so the reconciles of
/// many Tunnels of one namespace do not race to create the same user (a 409 is settled by a fresh list).
/// </summary>
internal sealed class EdgeUsers
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<EdgeUser> EnsureAsync(string edgeUid, string email, EdgeSnapshot snapshot, IEdgeAdminClient admin, CancellationToken cancellationToken)
    {
        if (snapshot.FindUser(email) is { } known)
        {
            return known;
        }

        var gate = _gates.GetOrAdd(edgeUid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (snapshot.FindUser(email) is { } added)
            {
                return added;
            }

            EdgeUser user;
            try
            {
                user = await admin.CreateUserAsync(email, cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeAdminException e) when (e.IsConflict)
            {
                var users = await admin.ListUsersAsync(cancellationToken).ConfigureAwait(false);
                user = users.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase))
                    ?? throw new EdgeAdminException($"the edge says user {email} exists but does not list it", e.Status, e);
            }

            snapshot.Add(user);
            return user;
        }
        finally
        {
            gate.Release();
        }
    }
}
