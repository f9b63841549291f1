using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>
/// The targets behind a forward server in tests: a TCP echo server and a UDP server that
/// answers each datagram with "echo:" and the datagram, both on 127.0.0.1.
/// </summary>
internal sealed class LoopbackEcho : IAsyncDisposable
{
    private readonly Socket _tcp = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public LoopbackEcho()
    {
        _tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _tcp.Listen(128);
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loops.Add(AcceptAsync());
        _loops.Add(AnswerAsync());
    }

    public int TcpPort => ((IPEndPoint)_tcp.LocalEndPoint!).Port;
    public int UdpPort => ((IPEndPoint)_udp.LocalEndPoint!).Port;

    /// <summary>TCP connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    private int _accepted;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _tcp.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                _ = EchoAsync(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task AnswerAsync()
    {
        var buffer = new byte[65536];
        var prefix = "echo:"u8.ToArray();
        try
        {
            while (true)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
                {
                    continue;
                }

                var answer = new byte[prefix.Length + received.ReceivedBytes];
                prefix.CopyTo(answer, 0);
                buffer.AsSpan(0, received.ReceivedBytes).CopyTo(answer.AsSpan(prefix.Length));
                await _udp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        _udp.Dispose();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
