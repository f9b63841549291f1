using System.Net;
using System.Net.Sockets;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>Servers and edges going away and coming back while clients keep their local port.</summary>
public sealed class ForwardRestartTests : IAsyncLifetime
{
    private readonly string _authToken = ForwardToken.Generate();
    private LoopbackEcho _echo = null!;

    public ValueTask InitializeAsync()
    {
        _echo = new LoopbackEcho();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _echo.DisposeAsync();

    [Fact]
    public async Task ServerRestart_ClientSeesOffline_ThenForwardsAgainWithoutRestarting()
    {
        await using var harness = await ForwardHarness.StartAsync("server-restart@example.com");
        string[] serverArgs = ["--allowed-tcp", "127.0.0.0/8", "--auth-tokens", _authToken];
        var server = await harness.ServerReadyAsync("db", serverArgs);
        var port = FreePort.Next();
        await using var client = await harness.ClientReadyAsync(harness.ServerId("db"), $"tcp://127.0.0.1:{_echo.TcpPort}", port, _authToken);
        await EchoAsync(port, "before");

        server.Signal(15);
        Assert.Equal(0, await server.Exited.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
        await server.DisposeAsync();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            Assert.Equal(0, await tcp.GetStream().ReadAsync(new byte[1], TestContext.Current.CancellationToken));
        }

        await client.WaitForLineAsync($"not forwarded: Error: ServerOffline: forward server '{harness.ServerId("db")}' is offline");

        await using var restarted = await harness.ServerReadyAsync("db", serverArgs);
        await EchoAsync(port, "after");
        Assert.False(client.Exited.IsCompleted);
    }

    [Fact]
    public async Task EdgeRestart_ServerAndClientReconnectToTheRealTunneld()
    {
        var dir = Directory.CreateTempSubdirectory("forward-edge").FullName;
        try
        {
            await using var edge = new TunneldProcess(dir);
            await edge.StartAsync();
            var token = await edge.CreateUserWithTokenAsync("edge-restart@example.com");
            string[] edgeArgs = ["--endpoint", edge.ControlEndpoint, "--ca-cert", edge.CaPath, "--token", token];
            var env = new Dictionary<string, string?> { ["HOME"] = dir };
            await using var server = ProgramProcess.Start(RepoPaths.Tunnelctl,
                ["port-forward", "server", "--name", "db", "--allowed-tcp", "127.0.0.0/8", "--auth-tokens", _authToken, .. edgeArgs], env);
            var id = (await server.WaitForLineAsync("forward server ID: "))["forward server ID: ".Length..];
            var port = FreePort.Next();
            await using var client = ProgramProcess.Start(RepoPaths.Tunnelctl,
                ["port-forward", "client", "--server", id, "--source", $"tcp://127.0.0.1:{_echo.TcpPort}", "--target", $"127.0.0.1:{port}", "--auth-token", _authToken, .. edgeArgs], env);
            await client.WaitForLineAsync("tunnelctl port-forward ready");
            await EchoAsync(port, "before");

            edge.Process!.Signal(15);
            Assert.Equal(0, await edge.Process.Exited.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
            await server.WaitForLineAsync("retrying in");
            await client.WaitForLineAsync("retrying in");

            await edge.StartAsync();
            await server.WaitForLineAsync($"forward server ID: {id}", TimeSpan.FromSeconds(90), skip: 1);
            // The client may attach before the server registers again (it is then told the ID
            // is unknown to the restarted edge) or after; either way it is connected again.
            await client.WaitForLineAsync(l => l.Contains("tunnelctl port-forward ready", StringComparison.Ordinal) || l.StartsWith("warning: ", StringComparison.Ordinal),
                "reconnected", TimeSpan.FromSeconds(90), skip: 1);
            await EchoAsync(port, "after");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task EchoAsync(int port, string text)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        await tcp.GetStream().WriteAsync(bytes, TestContext.Current.CancellationToken);
        var answer = new byte[bytes.Length];
        await tcp.GetStream().ReadExactlyAsync(answer, TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(bytes, answer);
    }
}
