using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Datagrams;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Ports;

/// <summary>
/// A declared UDP port. Each client address is one <see cref="UdpFlow"/> with its own
/// STREAM_KIND_UDP stream to an agent session of the route; the agent keeps a matching
/// per-client socket to the origin.
/// <list type="number">
/// <item>At most <see cref="L4Options.MaxUdpSessionsPerPort"/> flows; datagrams of further
///   clients are dropped until one ends.</item>
/// <item>A flow without a datagram either way for <see cref="L4Options.UdpIdleTimeout"/> is
///   reaped (its stream closes, so the agent's session ends too).</item>
/// </list>
/// </summary>
internal sealed partial class UdpPortListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ServiceRoute _route;
    private readonly EdgeServices _edge;
    private readonly ILogger _logger;
    // Keyed by the raw socket address, so a datagram from a known client costs no IPEndPoint.
    private readonly ConcurrentDictionary<SocketAddress, UdpFlow> _flows = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly Task _reaping;
    private readonly string _serverAddress;

    private UdpPortListener(Socket socket, ServiceRoute route, EdgeServices edge)
    {
        _socket = socket;
        _route = route;
        _edge = edge;
        _logger = edge.LoggerFactory.CreateLogger<UdpPortListener>();
        _serverAddress = socket.LocalEndPoint!.ToString()!;
        _receiving = ReceiveLoopAsync();
        _reaping = ReapLoopAsync();
    }

    public int FlowCount => _flows.Count;

    public static (UdpPortListener? Listener, string? Error) Open(ServiceRoute route, EdgeServices edge)
    {
        var address = edge.Options.L4.PortBindAddress;
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, route.Port));
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the address is already in use" : e.Message);
        }

        var listener = new UdpPortListener(socket, route, edge);
        LogOpened(listener._logger, route.Port, route.TenantName, route.Service);
        return (listener, null);
    }

    private async Task ReceiveLoopAsync()
    {
        var ct = _stop.Token;
        var buffer = GC.AllocateUninitializedArray<byte>(DatagramFrames.MaxDatagram, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        while (!ct.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, ct).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // an ICMP error for an earlier send, or an oversized datagram: not fatal
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }

            var now = _edge.Time.GetTimestamp();
            if (!_flows.TryGetValue(from, out var flow))
            {
                flow = StartFlow(Copy(from), now);
                if (flow is null)
                {
                    continue;
                }
            }

            flow.Touch(now);
            flow.TryEnqueue(buffer.AsSpan(0, received));
        }
    }

    // The receive call reuses its SocketAddress; a flow keeps a copy as its key.
    private static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    private UdpFlow? StartFlow(SocketAddress client, long now)
    {
        if (_flows.Count >= _edge.Options.L4.MaxUdpSessionsPerPort)
        {
            LogOverCapacity(_logger, _route.Port, new IPEndPoint(IPAddress.Any, 0).Create(client).ToString() ?? "unknown");
            return null;
        }

        if (_route.IsEmpty)
        {
            return null;
        }

        var flow = new UdpFlow(client, now);
        _flows[client] = flow;
        _ = RunFlowAsync(flow);
        return flow;
    }

    private async Task RunFlowAsync(UdpFlow flow)
    {
        MuxStream? stream = null;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, flow.Closed);
            stream = await _route.OpenStreamAsync(new StreamHeader
            {
                Kind = StreamKind.Udp,
                Service = _route.Service,
                ClientAddress = flow.Client.ToString(),
                ServerAddress = _serverAddress,
            }, linked.Token).ConfigureAwait(false);
            Func<long> now = _edge.Time.GetTimestamp;
            var up = flow.PumpToAgentAsync(stream, flow.Touch, now);
            var down = flow.PumpToClientAsync(stream, SendAsync, flow.Touch, now);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogFlowFailed(_logger, _route.Port, flow.Client.ToString(), e.Message);
        }
        finally
        {
            flow.Dispose();
            _flows.TryRemove(new KeyValuePair<SocketAddress, UdpFlow>(flow.Address, flow));
            if (stream is not null)
            {
                stream.Abort();
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, SocketAddress client, CancellationToken ct) =>
        await _socket.SendToAsync(datagram, SocketFlags.None, client, ct).ConfigureAwait(false);

    private async Task ReapLoopAsync()
    {
        var idle = _edge.Options.L4.UdpIdleTimeout;
        using var timer = new PeriodicTimer(idle / 4 > TimeSpan.FromMilliseconds(50) ? idle / 4 : TimeSpan.FromMilliseconds(50), _edge.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                foreach (var flow in _flows.Values)
                {
                    if (_edge.Time.GetElapsedTime(flow.LastActivity) >= idle)
                    {
                        LogReaped(_logger, _route.Port, flow.Client.ToString());
                        flow.Close();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var flow in _flows.Values)
        {
            flow.Close();
        }

        _socket.Dispose();
        await Task.WhenAll(_receiving, _reaping).ConfigureAwait(false);
        LogClosed(_logger, _route.Port);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "UDP port {Port} open for tenant {Tenant} (service {Service})")]
    private static partial void LogOpened(ILogger logger, int port, string tenant, string service);

    [LoggerMessage(Level = LogLevel.Information, Message = "UDP port {Port} closed")]
    private static partial void LogClosed(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP port {Port} is at its session limit; dropping datagrams from {Client}")]
    private static partial void LogOverCapacity(ILogger logger, int port, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP port {Port}: session of {Client} reaped after being idle")]
    private static partial void LogReaped(ILogger logger, int port, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP port {Port}: session of {Client} failed: {Reason}")]
    private static partial void LogFlowFailed(ILogger logger, int port, string client, string reason);
}
