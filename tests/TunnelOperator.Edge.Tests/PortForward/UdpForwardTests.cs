using System.Net;
using System.Net.Sockets;
using System.Text;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>UDP through the real programs: one flow (one forward stream) per local peer.</summary>
public sealed class UdpForwardTests : IAsyncLifetime
{
    private ForwardHarness _harness = null!;
    private LoopbackEcho _echo = null!;
    private ProgramProcess _server = null!;
    private readonly string _authToken = ForwardToken.Generate();

    public async ValueTask InitializeAsync()
    {
        _harness = await ForwardHarness.StartAsync("udp-forward@example.com");
        _echo = new LoopbackEcho();
        _server = await _harness.ServerReadyAsync("dns", "--allowed-udp", "127.0.0.0/8", "--auth-tokens", _authToken, "--udp-idle-timeout", "30");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _echo.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task ManyClientsAtOnce_EachGetsItsOwnAnswers()
    {
        var port = FreePort.Next();
        await using var client = await _harness.ClientReadyAsync(_harness.ServerId("dns"), $"udp://127.0.0.1:{_echo.UdpPort}", port, _authToken);
        Assert.Contains($"forwarding udp 127.0.0.1:{port} -> udp://127.0.0.1:{_echo.UdpPort} through server {_harness.ServerId("dns")}", client.Lines);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async peer =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            for (var request = 0; request < 5; request++)
            {
                var text = $"peer {peer:D2} request {request}";
                Assert.Equal($"echo:{text}", await AskAsync(socket, port, text));
            }
        }));
    }

    [Fact]
    public async Task LargeAndEmptyDatagrams_KeepTheirBoundaries()
    {
        var port = FreePort.Next();
        await using var client = await _harness.ClientReadyAsync(_harness.ServerId("dns"), $"udp://127.0.0.1:{_echo.UdpPort}", port, _authToken);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var large = new string('x', 60_000);
        Assert.Equal($"echo:{large}", await AskAsync(socket, port, large));
        Assert.Equal("echo:", await AskAsync(socket, port, string.Empty));
    }

    [Fact]
    public async Task IdleFlow_IsReaped_AndThePeersNextDatagramOpensANewOne()
    {
        var port = FreePort.Next();
        await using var client = await _harness.ClientReadyAsync(_harness.ServerId("dns"), $"udp://127.0.0.1:{_echo.UdpPort}", port, _authToken,
            "--udp-idle-timeout", "1");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal("echo:first", await AskAsync(socket, port, "first"));
        await client.WaitForLineAsync($"UDP peer {socket.LocalEndPoint} forwarded");
        await client.WaitForLineAsync("closed after being idle", TimeSpan.FromSeconds(20));
        Assert.Equal("echo:second", await AskAsync(socket, port, "second"));
        await client.WaitForLineAsync($"UDP peer {socket.LocalEndPoint} forwarded", skip: 1);
    }

    /// <summary>Sends a request and waits for its answer, resending a few times: UDP may drop.</summary>
    private static async Task<string> AskAsync(Socket socket, int port, string text)
    {
        var target = new IPEndPoint(IPAddress.Loopback, port);
        var buffer = new byte[65536];
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await socket.SendToAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, target);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                return Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
            }
            catch (OperationCanceledException)
            {
            }
        }

        throw new TimeoutException($"no answer to '{text[..Math.Min(text.Length, 40)]}' after 5 attempts");
    }
}
