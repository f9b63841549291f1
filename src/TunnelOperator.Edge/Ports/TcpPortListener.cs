using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.FrontDoor;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.ProxyProtocol;
using TunnelOperator.Protocol.Streams;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Ports;

/// <summary>
/// A declared TCP port: every accepted connection becomes one STREAM_KIND_TCP stream to an
/// agent session of the port's route, spliced both ways with half-close.
/// <list type="number">
/// <item>At most <see cref="L4Options.MaxConnectionsPerPort"/> connections at once; more are closed.</item>
/// <item>A peer in the trusted proxy CIDRs must start with a PROXY v2 header (within the
///   header timeout); its source and destination replace the socket's addresses. Any other
///   peer that starts with a PROXY header is closed (<see cref="ProxyRefusingStream"/>),
///   without waiting for its first bytes, as server-first protocols (SSH, SMTP) send none.</item>
/// </list>
/// </summary>
internal sealed partial class TcpPortListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ServiceRoute _route;
    private readonly EdgeServices _edge;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _active;

    private TcpPortListener(Socket socket, ServiceRoute route, EdgeServices edge)
    {
        _socket = socket;
        _route = route;
        _edge = edge;
        _logger = edge.LoggerFactory.CreateLogger<TcpPortListener>();
        _accepting = AcceptLoopAsync();
    }

    public static (TcpPortListener? Listener, string? Error) Open(ServiceRoute route, EdgeServices edge)
    {
        var address = edge.Options.L4.PortBindAddress;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, route.Port));
            socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the address is already in use" : e.Message);
        }

        var listener = new TcpPortListener(socket, route, edge);
        LogOpened(listener._logger, route.Port, route.TenantName, route.Service);
        return (listener, null);
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stop.Token;
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _socket.AcceptAsync(ct).ConfigureAwait(false);
                if (Interlocked.Increment(ref _active) > _edge.Options.L4.MaxConnectionsPerPort)
                {
                    Interlocked.Decrement(ref _active);
                    LogOverCapacity(_logger, _route.Port);
                    client.Dispose();
                    continue;
                }

                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client, ct));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        client.NoDelay = true;
        var trusted = client.RemoteEndPoint is IPEndPoint peer && _edge.Options.L4.IsTrustedProxy(peer.Address);
        var network = trusted ? new NetworkStream(client, ownsSocket: true) : new ProxyRefusingStream(client);
        await using (network.ConfigureAwait(false))
        {
            MuxStream? stream = null;
            try
            {
                var remote = (IPEndPoint)client.RemoteEndPoint!;
                var local = (IPEndPoint)client.LocalEndPoint!;
                if (trusted)
                {
                    var (status, header) = await ProxyHeaderReader.ReadAsync(network, _edge.Options.L4.ProxyHeaderTimeout, _edge.Time, ct).ConfigureAwait(false);
                    if (status != ProxyParseStatus.Complete)
                    {
                        LogBadProxyHeader(_logger, _route.Port, remote.ToString(), status.ToString());
                        return;
                    }

                    if (header!.Command == ProxyCommand.Proxy && header.Source is not null)
                    {
                        remote = header.Source;
                        local = header.Destination ?? local;
                    }
                }

                stream = await _route.OpenStreamAsync(new StreamHeader
                {
                    Kind = StreamKind.Tcp,
                    Service = _route.Service,
                    ClientAddress = remote.ToString(),
                    ServerAddress = local.ToString(),
                }, ct).ConfigureAwait(false);
                await BufferedSplice.RunAsync(network, stream, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or MuxException)
            {
                LogConnectionFailed(_logger, _route.Port, e.Message);
                stream?.Abort();
            }
            finally
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }

                Interlocked.Decrement(ref _active);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
        LogClosed(_logger, _route.Port);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TCP port {Port} open for tenant {Tenant} (service {Service})")]
    private static partial void LogOpened(ILogger logger, int port, string tenant, string service);

    [LoggerMessage(Level = LogLevel.Information, Message = "TCP port {Port} closed")]
    private static partial void LogClosed(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TCP port {Port} is at its connection limit; closing a new connection")]
    private static partial void LogOverCapacity(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TCP port {Port}: trusted peer {Peer} sent no valid PROXY v2 header ({Status}); closed")]
    private static partial void LogBadProxyHeader(ILogger logger, int port, string peer, string status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TCP port {Port}: connection ended with an error: {Reason}")]
    private static partial void LogConnectionFailed(ILogger logger, int port, string reason);
}
