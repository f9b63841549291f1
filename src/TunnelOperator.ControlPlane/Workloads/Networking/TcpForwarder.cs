using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// One TCP listener of the proxy (a Service port on its clusterIP, node port or load balancer address):
/// each accepted connection goes to the next ready endpoint (the following ones are tried when a connect
/// fails) and bytes are copied both ways, each direction's end passed on as a half-close. Without a ready
/// endpoint the connection is reset, as kube-proxy's REJECT rule does.
/// </summary>
internal sealed partial class TcpForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TcpForwarder(Socket listener, ServiceBackends backends, ILogger logger)
    {
        _listener = listener;
        Backends = backends;
        _logger = logger;
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>Where connections go; replaced when the Service changes.</summary>
    public ServiceBackends Backends { get; set; }

    /// <summary>Listens, or returns why it could not (the address is taken, the port privileged, ...).</summary>
    public static (TcpForwarder? Forwarder, string? Error) Listen(IPEndPoint endPoint, ServiceBackends backends, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(512);
            return (new TcpForwarder(socket, backends, logger), null);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, $"listen tcp {endPoint}: {e.Message}");
        }
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ForwardAsync(client, Backends, ct);
        }
    }

    private async Task ForwardAsync(Socket client, ServiceBackends backends, CancellationToken ct)
    {
        using var _ = client;
        Socket? upstream = null;
        foreach (var endpoint in backends.InTurn())
        {
            var candidate = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await candidate.ConnectAsync(endpoint, ct);
                upstream = candidate;
                break;
            }
            catch (SocketException e)
            {
                Log.ConnectFailed(_logger, backends.Namespace, backends.Service, endpoint.ToString(), e.SocketErrorCode.ToString());
                candidate.Dispose();
            }
            catch (OperationCanceledException)
            {
                candidate.Dispose();
                return;
            }
        }

        if (upstream is null)
        {
            client.LingerState = new LingerOption(true, 0);
            return;
        }

        using (upstream)
        {
            client.NoDelay = true;
            await Task.WhenAll(CopyAsync(client, upstream, ct), CopyAsync(upstream, client, ct));
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side broke: end both, so the other copy does not wait forever.
            TryShutdown(from);
            TryShutdown(to);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void TryShutdown(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops accepting and ends the connections it forwards.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Service {Namespace}/{Service}: connecting to {Endpoint} failed ({Error})")]
        public static partial void ConnectFailed(ILogger logger, string @namespace, string service, string endpoint, string error);
    }
}
