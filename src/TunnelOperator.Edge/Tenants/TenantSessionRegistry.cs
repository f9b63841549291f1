using System.Collections.Concurrent;

namespace TunnelOperator.Edge.Tenants;

/// <summary>Every live tenant agent session on this edge, for shutdown, revocation and supersession.</summary>
public sealed class TenantSessionRegistry
{
    private readonly ConcurrentDictionary<string, TenantSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public void Add(TenantSession session) => _sessions[session.Id] = session;

    public void Remove(TenantSession session) => _sessions.TryRemove(session.Id, out _);

    public ICollection<TenantSession> Snapshot() => _sessions.Values;

    public IEnumerable<TenantSession> OfTenant(Guid tenantId) => _sessions.Values.Where(s => s.TenantId == tenantId);
}
