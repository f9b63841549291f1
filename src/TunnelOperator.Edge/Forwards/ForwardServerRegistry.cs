namespace TunnelOperator.Edge.Forwards;

/// <summary>What a lookup of a forward server ID found.</summary>
internal enum ForwardServerLookup
{
    Online,
    /// <summary>Registered on this edge before, not connected now.</summary>
    Offline,
    /// <summary>Never registered on this edge since it started.</summary>
    Unknown,
}

/// <summary>The answer to a lookup: the session to open streams on, or when it was last seen.</summary>
internal readonly record struct ForwardServerFound(ForwardServerLookup State, IForwardServerSession? Session, DateTimeOffset? LastSeen);

/// <summary>
/// Forward server IDs of one edge (<c>&lt;name&gt;.&lt;user slug&gt;</c>) and the live agent
/// sessions serving them. An ID stays known, with the time it was last connected, after its
/// last session leaves, so that clients can be told "offline" rather than "unknown".
/// Several sessions of the owner may serve one ID at once (a restart overlapping the old
/// session, or replicas); streams go to the newest, older ones stand by.
/// </summary>
internal sealed class ForwardServerRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int OnlineCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Count(e => e.Live.Count > 0);
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="session"/> as the newest server for <paramref name="serverId"/>.
    /// False when the ID belongs to another user (impossible for IDs composed with the
    /// owner's unique slug, kept as a second line of defence).
    /// </summary>
    public bool TryRegister(string serverId, Guid ownerUserId, IForwardServerSession session)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(serverId, out var entry))
            {
                entry = new Entry(ownerUserId);
                _entries[serverId] = entry;
            }
            else if (entry.Owner != ownerUserId)
            {
                return false;
            }

            entry.Live.Remove(session);
            entry.Live.Add(session);
            return true;
        }
    }

    public void Unregister(string serverId, IForwardServerSession session, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(serverId, out var entry) && entry.Live.Remove(session) && entry.Live.Count == 0)
            {
                entry.LastSeen = now;
            }
        }
    }

    public ForwardServerFound Find(string serverId)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(serverId, out var entry))
            {
                return new ForwardServerFound(ForwardServerLookup.Unknown, null, null);
            }

            return entry.Live.Count > 0
                ? new ForwardServerFound(ForwardServerLookup.Online, entry.Live[^1], null)
                : new ForwardServerFound(ForwardServerLookup.Offline, null, entry.LastSeen);
        }
    }

    private sealed class Entry(Guid owner)
    {
        public Guid Owner { get; } = owner;
        public List<IForwardServerSession> Live { get; } = [];
        public DateTimeOffset? LastSeen { get; set; }
    }
}
