using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>A TCP echo origin: every connection gets back what it sends, then FIN after the client's FIN.</summary>
internal sealed class TcpEchoOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public TcpEchoOrigin()
    {
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Origin => $"127.0.0.1:{Port}";

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = EchoAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await stream.CopyToAsync(stream, 64 * 1024, _stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>A UDP origin that answers each datagram with "&lt;source port&gt;|&lt;payload&gt;", so tests see which agent session sent it.</summary>
internal sealed class UdpEchoOrigin : IAsyncDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public UdpEchoOrigin() => _loop = LoopAsync();

    public int Port => ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

    public string Origin => $"127.0.0.1:{Port}";

    /// <summary>The first bytes of the last datagram received, for PROXY header checks.</summary>
    public byte[] Last { get; private set; } = [];

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(_stop.Token);
                Last = received.Buffer;
                var reply = Encoding.ASCII.GetBytes($"{received.RemoteEndPoint.Port}|").Concat(received.Buffer).ToArray();
                await _socket.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
