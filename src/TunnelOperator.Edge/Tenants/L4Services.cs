using TunnelOperator.Edge.Ports;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tenants;

/// <summary>The L4 engine's shared state on one edge: live routes, tenant sessions, the agent handler.</summary>
public sealed class L4Services : IAsyncDisposable
{
    private readonly EdgeServices _edge;

    internal L4Services(EdgeServices edge)
    {
        _edge = edge;
        Routes = new ServiceRoutes(OpenListenerAsync);
        Agents = new TenantAgentHandler(edge);
    }

    public ServiceRoutes Routes { get; }

    public TenantSessionRegistry Sessions { get; } = new();

    public TenantAgentHandler Agents { get; }

    private Task<(IAsyncDisposable? Listener, string? Error)> OpenListenerAsync(ServiceRoute route, CancellationToken cancellationToken)
    {
        if (route.Protocol == ServiceProtocol.Udp)
        {
            var (udp, error) = UdpPortListener.Open(route, _edge);
            return Task.FromResult<(IAsyncDisposable?, string?)>((udp, error));
        }

        var (tcp, tcpError) = TcpPortListener.Open(route, _edge);
        return Task.FromResult<(IAsyncDisposable?, string?)>((tcp, tcpError));
    }

    /// <summary>Closes every tenant session (agents reconnect elsewhere or later), then every port.</summary>
    public async Task CloseSessionsAsync(CancelReason reason, string message) =>
        await Task.WhenAll(Sessions.Snapshot().Select(s => s.CloseAsync(reason, message))).ConfigureAwait(false);

    public ValueTask DisposeAsync() => Routes.DisposeAsync();
}
