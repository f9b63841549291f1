using System.Collections.Immutable;
using TunnelOperator.Mux;
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

    /// <summary>
    /// Opens a stream to the agent on the next session in turn. A session that cannot take it
    /// (closing, or at its stream limit) is passed over for the next replica, each tried once,
    /// so a connection is lost only when no replica can serve it.
    /// </summary>
    /// <exception cref="IOException">No session is left, or none could take the stream.</exception>
    public async Task<MuxStream> OpenStreamAsync(StreamHeader header, CancellationToken cancellationToken)
    {
        var sessions = _sessions;
        if (sessions.IsEmpty)
        {
            throw new IOException($"no agent of tenant {TenantName} serves {Service} any more");
        }

        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)sessions.Length);
        Exception? last = null;
        for (var i = 0; i < sessions.Length; i++)
        {
            try
            {
                return await sessions[(start + i) % sessions.Length].OpenStreamAsync(header, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or MuxException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
        }

        throw new IOException($"none of the {sessions.Length} agent sessions of tenant {TenantName} could take a stream for {Service}: {last!.Message}", last);
    }

    internal void Add(IServiceSession session) => ImmutableInterlocked.Update(ref _sessions, s => s.Contains(session) ? s : s.Add(session));

    internal void Remove(IServiceSession session) => ImmutableInterlocked.Update(ref _sessions, s => s.Remove(session));
}
