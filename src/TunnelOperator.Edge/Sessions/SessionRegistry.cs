using System.Collections.Concurrent;

namespace TunnelOperator.Edge.Sessions;

/// <summary>Every authenticated agent session on this edge, for shutdown and token revocation.</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, AgentSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public void Add(AgentSession session) => _sessions[session.Id] = session;

    public void Remove(AgentSession session) => _sessions.TryRemove(session.Id, out _);

    public ICollection<AgentSession> Snapshot() => _sessions.Values;
}
