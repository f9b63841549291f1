using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Sessions;
using TunnelOperator.Edge.Tls;
using TunnelOperator.Mux.Transport;
using TunnelOperator.Protocol;

namespace TunnelOperator.Edge.Hosting;

/// <summary>
/// The agent control port: our own socket listener and TLS 1.3 handshake rather than Kestrel's,
/// so an agent session's mux reads and writes its TLS stream over the socket directly.
/// Kestrel's transport would put a pipe of 4 KiB blocks and a thread hop under TLS in both
/// directions (a 4 KiB receive call at a time for a tunnel's bulk data).
/// <list type="number">
/// <item>ALPN chooses: the agent protocol goes to <see cref="AgentConnectionHandler"/>;
///   HTTP/2 or HTTP/1.1 (hub API clients) is handed to Kestrel through a
///   <see cref="HandOffEndPoint"/>, already decrypted.</item>
/// <item>The socket under TLS is a <see cref="CoalescingSocketStream"/>: many streams' small
///   frames share one send call, large writes go out directly.</item>
/// <item>A handshake must finish within <see cref="HandshakeTimeout"/>; failures are logged
///   at debug level and the connection is closed.</item>
/// </list>
/// </summary>
internal sealed partial class ControlPortListener : IAsyncDisposable
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private static readonly List<SslApplicationProtocol> Protocols = [WireProtocol.Alpn, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly Socket _socket;
    private readonly EdgeCertificates _certificates;
    private readonly AgentConnectionHandler _agents;
    private readonly HandOffEndPoint _http;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;

    private ControlPortListener(Socket socket, EdgeCertificates certificates, AgentConnectionHandler agents, HandOffEndPoint http, ILoggerFactory loggerFactory)
    {
        _socket = socket;
        _certificates = certificates;
        _agents = agents;
        _http = http;
        _logger = loggerFactory.CreateLogger<ControlPortListener>();
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound address (the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Binds <paramref name="endPoint"/> now (so a busy port fails the start); <see cref="Start"/> begins accepting.</summary>
    public static ControlPortListener Bind(IPEndPoint endPoint, EdgeCertificates certificates, AgentConnectionHandler agents, HandOffEndPoint http, ILoggerFactory loggerFactory)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"cannot listen on the control address {endPoint}: {e.Message}", e);
        }

        return new ControlPortListener(socket, certificates, agents, http, loggerFactory);
    }

    /// <summary>Accepts connections until stopped; <paramref name="stopping"/> ends agent sessions with the edge.</summary>
    public void Start(CancellationToken stopping) => _accepting = AcceptLoopAsync(stopping);

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(_logger, e.Message); // e.g. the peer reset before accept; keep going
                continue;
            }

            Track(ServeAsync(client, stopping));
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        await Task.Yield(); // off the accept loop
        client.NoDelay = true;
        var remote = client.RemoteEndPoint;
        var local = client.LocalEndPoint;
        var tls = new SslStream(new CoalescingSocketStream(client), leaveInnerStreamOpen: false);
        var handedOff = false;
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, stopping))
            {
                handshake.CancelAfter(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (_, name) => _certificates.Select(name),
                    ApplicationProtocols = Protocols,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                }, handshake.Token).ConfigureAwait(false);
            }

            if (tls.NegotiatedApplicationProtocol == WireProtocol.Alpn)
            {
                handedOff = true; // the session owns the stream from here
                await _agents.HandleAsync(tls, remote, stopping).ConfigureAwait(false);
                return;
            }

            handedOff = _http.TryHandOff(tls, client, local, remote);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            LogHandshakeFailed(_logger, remote?.ToString() ?? "unknown", e.Message);
        }
        finally
        {
            if (!handedOff)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void Track(Task connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
        }

        connection.ContinueWith(
            static (done, state) =>
            {
                var self = (ControlPortListener)state!;
                lock (self._gate)
                {
                    self._connections.Remove(done);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Stops accepting; connections already accepted carry on until their owners end them.</summary>
    public async Task StopAcceptingAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(false);
    }

    /// <summary>Stops accepting and waits (bounded) for the connections it still serves.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAcceptingAsync().ConfigureAwait(false);
        Task[] live;
        lock (_gate)
        {
            live = [.. _connections];
        }

        try
        {
            await Task.WhenAll(live).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Their sessions were told to close; whatever is left ends with the process.
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "control port: TLS handshake with {Peer} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "control port: accept failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
