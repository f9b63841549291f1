using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// One UDP port of the proxy. Datagrams from a client address form a session (conntrack's UDP entry) bound
/// to one endpoint, chosen in turn when the session starts; replies come back from the Service's address,
/// as NAT would make them. A session idle for 30 s is forgotten (nf_conntrack_udp_timeout).
/// </summary>
internal sealed partial class UdpForwarder : IAsyncDisposable
{
    private static readonly TimeSpan SessionIdle = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<EndPoint, Session> _sessions = new();
    private readonly Task _receiving;

    private UdpForwarder(Socket socket, ServiceBackends backends, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        Backends = backends;
        _time = time;
        _logger = logger;
        _receiving = ReceiveAsync(_stop.Token);
    }

    public ServiceBackends Backends { get; set; }

    public static (UdpForwarder? Forwarder, string? Error) Listen(IPEndPoint endPoint, ServiceBackends backends, TimeProvider time, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endPoint);
            return (new UdpForwarder(socket, backends, time, logger), null);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, $"listen udp {endPoint}: {e.Message}");
        }
    }

    private async Task ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var client = received.RemoteEndPoint;
            if (!_sessions.TryGetValue(client, out var session))
            {
                if (Backends.InTurn() is not [var backend, ..])
                {
                    continue;
                }

                session = new Session(this, client, backend, ct);
                _sessions[client] = session;
            }

            await session.SendAsync(buffer.AsMemory(0, received.ReceivedBytes), ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _receiving;
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
    }

    /// <summary>One client's flow to its endpoint, with the reply path back through the Service socket.</summary>
    private sealed class Session : IDisposable
    {
        private readonly UdpForwarder _owner;
        private readonly EndPoint _client;
        private readonly Socket _upstream;
        private readonly CancellationTokenSource _idle;

        public Session(UdpForwarder owner, EndPoint client, IPEndPoint backend, CancellationToken ct)
        {
            _owner = owner;
            _client = client;
            _upstream = new Socket(backend.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            _upstream.Connect(backend);
            _idle = new CancellationTokenSource(SessionIdle, owner._time);
            _ = RepliesAsync(CancellationTokenSource.CreateLinkedTokenSource(ct, _idle.Token));
        }

        public async Task SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken ct)
        {
            _idle.CancelAfter(SessionIdle);
            try
            {
                await _upstream.SendAsync(datagram, SocketFlags.None, ct);
            }
            catch (SocketException e)
            {
                Log.SendFailed(_owner._logger, _owner.Backends.Namespace, _owner.Backends.Service, e.SocketErrorCode.ToString());
            }
        }

        private async Task RepliesAsync(CancellationTokenSource linked)
        {
            using var _ = linked;
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await _upstream.ReceiveAsync(buffer, SocketFlags.None, linked.Token);
                    }
                    catch (SocketException)
                    {
                        // ICMP port unreachable from an endpoint that is not listening (yet): keep the session.
                        continue;
                    }

                    _idle.CancelAfter(SessionIdle);
                    await _owner._socket.SendToAsync(buffer.AsMemory(0, read), SocketFlags.None, _client, linked.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
            finally
            {
                _owner._sessions.TryRemove(new KeyValuePair<EndPoint, Session>(_client, this));
                Dispose();
            }
        }

        public void Dispose()
        {
            _upstream.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Service {Namespace}/{Service}: UDP send failed ({Error})")]
        public static partial void SendFailed(ILogger logger, string @namespace, string service, string error);
    }
}
