using System.Collections.Concurrent;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Edge.Tenants;

/// <summary>Why a live route could not take a session.</summary>
public enum RouteVerdict
{
    Added,
    /// <summary>Another tenant's live session serves it (the hub should have prevented this).</summary>
    HeldByAnotherTenant,
    /// <summary>The port could not be opened on this edge (another program has it, or no permission).</summary>
    PortUnavailable,
}

public readonly record struct RouteResult(RouteVerdict Verdict, string? Reason)
{
    public static RouteResult Added { get; } = new(RouteVerdict.Added, null);
}

/// <summary>
/// The live L4 services of one edge: hostnames routed by SNI on the HTTPS port, and declared
/// TCP/UDP ports. A port's listener is opened when the first session declares it and closed
/// when the last one goes away; lookups are lock-free.
/// </summary>
public sealed class ServiceRoutes : IAsyncDisposable
{
    /// <summary>Opens the listener of a port route; returns it, or null and why not.</summary>
    public delegate Task<(IAsyncDisposable? Listener, string? Error)> ListenerFactory(ServiceRoute route, CancellationToken cancellationToken);

    private readonly ConcurrentDictionary<string, ServiceRoute> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(ServiceProtocol, int), ServiceRoute> _ports = new();
    private readonly Dictionary<ServiceRoute, IAsyncDisposable> _listeners = [];
    private readonly Lock _hostGate = new();
    private readonly SemaphoreSlim _portGate = new(1, 1);
    private readonly ListenerFactory _openListener;

    public ServiceRoutes(ListenerFactory openListener) => _openListener = openListener;

    public ICollection<ServiceRoute> Hosts => _hosts.Values;

    public ICollection<ServiceRoute> Ports => _ports.Values;

    /// <summary>
    /// The route for a ClientHello's server name: the exact name, else the wildcard one label
    /// up (<c>a.alice.example.eu</c> → <c>*.alice.example.eu</c>, never two labels up).
    /// </summary>
    public ServiceRoute? FindHost(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        if (_hosts.TryGetValue(serverName, out var exact) && !exact.IsEmpty)
        {
            return exact;
        }

        return HostnamePatterns.WildcardOver(serverName) is { } wildcard && _hosts.TryGetValue(wildcard, out var route) && !route.IsEmpty ? route : null;
    }

    public ServiceRoute? FindPort(ServiceProtocol protocol, int port) =>
        _ports.TryGetValue((protocol, port), out var route) && !route.IsEmpty ? route : null;

    public RouteResult AddHost(IServiceSession session, string hostname, string service, TlsMode mode)
    {
        lock (_hostGate)
        {
            var route = _hosts.GetOrAdd(hostname, h => new ServiceRoute(ServiceProtocol.Tls, h, 0, session.TenantId, session.TenantName, service, mode));
            if (route.TenantId != session.TenantId)
            {
                return new RouteResult(RouteVerdict.HeldByAnotherTenant, $"hostname {hostname} is served by another tenant on this edge");
            }

            route.Mode = mode;
            route.Service = service;
            route.Add(session);
            return RouteResult.Added;
        }
    }

    /// <summary>
    /// Takes a hostname off the edge when its tenant deletes it on the hub: new connections
    /// for it get the unknown-name answer, those already spliced run on. False when the
    /// tenant has no live route for it.
    /// </summary>
    public bool RemoveHost(Guid tenantId, string hostname)
    {
        lock (_hostGate)
        {
            return _hosts.TryGetValue(hostname, out var route) && route.TenantId == tenantId
                && _hosts.TryRemove(new KeyValuePair<string, ServiceRoute>(hostname, route));
        }
    }

    public async Task<RouteResult> AddPortAsync(IServiceSession session, ServiceProtocol protocol, int port, string service, CancellationToken cancellationToken)
    {
        await _portGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ports.TryGetValue((protocol, port), out var route))
            {
                if (route.TenantId != session.TenantId)
                {
                    return new RouteResult(RouteVerdict.HeldByAnotherTenant, $"port {port}/{Name(protocol)} is served by another tenant on this edge");
                }

                route.Service = service;
                route.Add(session);
                return RouteResult.Added;
            }

            route = new ServiceRoute(protocol, string.Empty, port, session.TenantId, session.TenantName, service, TlsMode.Unspecified);
            var (listener, error) = await _openListener(route, cancellationToken).ConfigureAwait(false);
            if (listener is null)
            {
                return new RouteResult(RouteVerdict.PortUnavailable, $"port {port}/{Name(protocol)} could not be opened on the edge: {error}");
            }

            route.Add(session);
            _listeners[route] = listener;
            _ports[(protocol, port)] = route;
            return RouteResult.Added;
        }
        finally
        {
            _portGate.Release();
        }
    }

    /// <summary>Takes the session out of every route; routes left without sessions go, and their listeners close.</summary>
    public async Task RemoveSessionAsync(IServiceSession session)
    {
        lock (_hostGate)
        {
            foreach (var route in _hosts.Values)
            {
                route.Remove(session);
                if (route.IsEmpty)
                {
                    _hosts.TryRemove(new KeyValuePair<string, ServiceRoute>(route.Hostname, route));
                }
            }
        }

        var closing = new List<IAsyncDisposable>();
        await _portGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var route in _ports.Values)
            {
                route.Remove(session);
                if (route.IsEmpty && _ports.TryRemove(new KeyValuePair<(ServiceProtocol, int), ServiceRoute>((route.Protocol, route.Port), route)))
                {
                    if (_listeners.Remove(route, out var listener))
                    {
                        closing.Add(listener);
                    }
                }
            }
        }
        finally
        {
            _portGate.Release();
        }

        foreach (var listener in closing)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> listeners;
        await _portGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            listeners = [.. _listeners.Values];
            _listeners.Clear();
            _ports.Clear();
        }
        finally
        {
            _portGate.Release();
        }

        foreach (var listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static string Name(ServiceProtocol protocol) => protocol == ServiceProtocol.Udp ? "udp" : "tcp";
}
