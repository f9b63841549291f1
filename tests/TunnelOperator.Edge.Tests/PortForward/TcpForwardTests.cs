using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>TCP through the real programs: local client -> tunnelctl client -> edge -> tunnelctl server -> echo.</summary>
public sealed class TcpForwardTests : IAsyncLifetime
{
    private ForwardHarness _harness = null!;
    private LoopbackEcho _echo = null!;
    private ProgramProcess _server = null!;
    private readonly string _authToken = ForwardToken.Generate();

    public async ValueTask InitializeAsync()
    {
        _harness = await ForwardHarness.StartAsync("tcp-forward@example.com");
        _echo = new LoopbackEcho();
        // Every target in these tests is on loopback, so the server lists loopback explicitly.
        _server = await _harness.ServerReadyAsync("db", "--allowed-tcp", "127.0.0.0/8", "--auth-tokens", _authToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _echo.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Server_PrintsItsIdAndWhatItAllows()
    {
        Assert.Contains($"forward server ID: {_harness.ServerId("db")}", _server.Lines);
        Assert.Contains("auth tokens: 1; allowed tcp: 127.0.0.0/8; allowed udp: none", _server.Lines);
        Assert.DoesNotContain(_authToken, _server.Output, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task EchoAndSixteenMegabytesEachWay_ArriveIntact()
    {
        var port = FreePort.Next();
        await using var client = await _harness.ClientReadyAsync(_harness.ServerId("db"), $"tcp://127.0.0.1:{_echo.TcpPort}", port, _authToken);
        Assert.Contains($"forwarding tcp 127.0.0.1:{port} -> tcp://127.0.0.1:{_echo.TcpPort} through server {_harness.ServerId("db")}", client.Lines);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync("hello through the edge"u8.ToArray(), TestContext.Current.CancellationToken);
        var echoed = new byte[22];
        await stream.ReadExactlyAsync(echoed, TestContext.Current.CancellationToken);
        Assert.Equal("hello through the edge"u8.ToArray(), echoed);

        // Both directions at once: the echo sends back what it gets while we still send.
        const int size = 16 * 1024 * 1024;
        var sent = RandomNumberGenerator.GetBytes(size);
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < size; offset += 256 * 1024)
            {
                await stream.WriteAsync(sent.AsMemory(offset, 256 * 1024), TestContext.Current.CancellationToken);
            }

            tcp.Client.Shutdown(SocketShutdown.Send);
        }, TestContext.Current.CancellationToken);
        var received = new MemoryStream();
        await stream.CopyToAsync(received, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await writing;
        Assert.Equal(size, received.Length);
        Assert.Equal(SHA256.HashData(sent), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public async Task ManyConnectionsAtOnce_EachGetsItsOwnStream()
    {
        var port = FreePort.Next();
        await using var client = await _harness.ClientReadyAsync(_harness.ServerId("db"), $"tcp://127.0.0.1:{_echo.TcpPort}", port, _authToken);
        var before = _echo.Accepted;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            var message = System.Text.Encoding.ASCII.GetBytes($"connection {i:D2}");
            await tcp.GetStream().WriteAsync(message, TestContext.Current.CancellationToken);
            var answer = new byte[message.Length];
            await tcp.GetStream().ReadExactlyAsync(answer, TestContext.Current.CancellationToken);
            Assert.Equal(message, answer);
        }));
        Assert.Equal(before + 20, _echo.Accepted);
    }

    [Fact]
    public async Task TargetPortInUse_FailsAtOnceWithWhatToDo()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var busy = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var client = _harness.StartClient(_harness.ServerId("db"), $"tcp://127.0.0.1:{_echo.TcpPort}", busy, _authToken);
        await client.WaitForLineAsync($"cannot listen on tcp 127.0.0.1:{busy}: the port is already in use. Choose another --target port");
        Assert.Equal(2, await client.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }
}
