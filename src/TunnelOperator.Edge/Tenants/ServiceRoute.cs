using System.Collections.Immutable;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tenants;

/// <summary>
/// A live service on this edge: a hostname on the HTTPS port or a declared TCP/UDP port, owned
/// by one tenant and served by every agent session of that tenant that declared it. New
/// connections go to those sessions in turn, so replicas of an agent share the load.
/// </summary>
public sealed class ServiceRoute
{
    private ImmutableArray<IServiceSession> _sessions = [];
    private int _next;

    internal ServiceRoute(ServiceProtocol protocol, string hostname, int port, Guid tenantId, string tenantName, string service, TlsMode mode)
    {
        Protocol = protocol;
        Hostname = hostname;
        Port = port;
        TenantId = tenantId;
        TenantName = tenantName;
        Service = service;
        Mode = mode;
    }

    public ServiceProtocol Protocol { get; }
    public string Hostname { get; }
    public int Port { get; }
    public Guid TenantId { get; }
    public string TenantName { get; }
    public string Service { get; internal set; }

    /// <summary>For hostnames: passthrough or terminate (the latest declaration wins).</summary>
    public TlsMode Mode { get; internal set; }

    public IReadOnlyList<IServiceSession> Sessions => _sessions;

    public bool IsEmpty => _sessions.IsEmpty;

    /// <summary>The next session in turn, or null when none is left.</summary>
    public IServiceSession? Pick()
    {
        var sessions = _sessions;
        if (sessions.IsEmpty)
        {
            return null;
        }

        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)sessions.Length);
        return sessions[index];
    }

    internal void Add(IServiceSession session) => ImmutableInterlocked.Update(ref _sessions, s => s.Contains(session) ? s : s.Add(session));

    internal void Remove(IServiceSession session) => ImmutableInterlocked.Update(ref _sessions, s => s.Remove(session));
}
