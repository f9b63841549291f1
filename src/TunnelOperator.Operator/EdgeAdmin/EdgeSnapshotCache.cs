namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>
/// The observe step towards edges: one fetch of <c>/admin/tunnels</c>, <c>/admin/users</c> and
/// <c>/admin/tokens</c> per edge at a time, reused for <see cref="MaxAge"/>, so a thousand Tunnels on one
/// edge do not make a thousand fetches. A failed fetch is not kept. Keyed by the EdgeNode's uid, so a
/// re-created edge (a new store) never sees the old one's snapshot.
/// </summary>
internal sealed class EdgeSnapshotCache(TimeProvider time, TimeSpan maxAge)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TimeSpan MaxAge => maxAge;

    /// <summary>A snapshot no older than <see cref="MaxAge"/> (joining a fetch in flight).</summary>
    public async Task<EdgeSnapshot> GetAsync(string edgeUid, IEdgeAdminClient client, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!_entries.TryGetValue(edgeUid, out entry!)
                || (entry.Task.IsCompleted && (!entry.Task.IsCompletedSuccessfully || now - entry.Started > maxAge)))
            {
                entry = new Entry(now, FetchAsync(client));
                _entries[edgeUid] = entry;
            }
        }

        try
        {
            return await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EdgeAdminException)
        {
            Forget(edgeUid, entry);
            throw;
        }
    }

    /// <summary>Drops what is known of an edge (it is gone, or its store may have changed).</summary>
    public void Forget(string edgeUid)
    {
        lock (_lock)
        {
            _entries.Remove(edgeUid);
        }
    }

    private void Forget(string edgeUid, Entry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(edgeUid, out var current) && ReferenceEquals(current, entry))
            {
                _entries.Remove(edgeUid);
            }
        }
    }

    private async Task<EdgeSnapshot> FetchAsync(IEdgeAdminClient client)
    {
        // Not the caller's token: other reconciles may be waiting on this fetch; the client bounds each call.
        var at = time.GetUtcNow();
        var tunnels = client.ListTunnelsAsync(CancellationToken.None);
        var users = client.ListUsersAsync(CancellationToken.None);
        var tokens = client.ListTokensAsync(CancellationToken.None);
        await Task.WhenAll(tunnels, users, tokens).ConfigureAwait(false);
        return new EdgeSnapshot(at, await tunnels.ConfigureAwait(false), await users.ConfigureAwait(false), await tokens.ConfigureAwait(false));
    }

    private sealed record Entry(DateTimeOffset Started, Task<EdgeSnapshot> Task);
}
