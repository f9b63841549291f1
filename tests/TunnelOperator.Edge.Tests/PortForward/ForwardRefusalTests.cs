using System.Net;
using System.Net.Sockets;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>Every way a forward is refused, as the user of the real programs sees it.</summary>
public sealed class ForwardRefusalTests : IAsyncLifetime
{
    private ForwardHarness _harness = null!;
    private LoopbackEcho _echo = null!;
    private readonly string _authToken = ForwardToken.Generate();

    public async ValueTask InitializeAsync()
    {
        _harness = await ForwardHarness.StartAsync("refusals@example.com");
        _echo = new LoopbackEcho();
    }

    public async ValueTask DisposeAsync()
    {
        await _echo.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task LoopbackSource_IsRefusedUnlessListed_EvenUnderACatchAll()
    {
        await using var server = await _harness.ServerReadyAsync("catchall", "--allowed-tcp", "0.0.0.0/0", "--auth-tokens", _authToken);
        await using var client = _harness.StartClient(_harness.ServerId("catchall"), $"tcp://127.0.0.1:{_echo.TcpPort}", FreePort.Next(), _authToken);
        await client.WaitForLineAsync(
            $"Error: SourceNotAllowed: source tcp://127.0.0.1:{_echo.TcpPort} is not allowed: 127.0.0.1 is a loopback address (127.0.0.0/8), refused unless the server lists it on its own, e.g. --allowed-tcp 127.0.0.0/8");
        Assert.Equal(2, await client.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        await server.WaitForLineAsync("refused: source tcp://127.0.0.1");
        Assert.Equal(0, _echo.Accepted);
    }

    [Fact]
    public async Task SourcesOutsideTheAllowlist_AreRefusedNamingTheRule()
    {
        await using var server = await _harness.ServerReadyAsync("narrow", "--allowed-tcp", "127.0.0.2/32", "--auth-tokens", _authToken);
        await using var tcp = _harness.StartClient(_harness.ServerId("narrow"), $"tcp://127.0.0.1:{_echo.TcpPort}", FreePort.Next(), _authToken);
        await tcp.WaitForLineAsync("127.0.0.1 is not in any --allowed-tcp network (127.0.0.2/32)");
        await using var udp = _harness.StartClient(_harness.ServerId("narrow"), $"udp://127.0.0.1:{_echo.UdpPort}", FreePort.Next(), _authToken);
        await udp.WaitForLineAsync("this server allows no udp sources (it was started without --allowed-udp)");
        Assert.Equal(2, await udp.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MistypedToken_IsRejectedLocally_BeforeAnythingGoesOnTheNetwork()
    {
        var typo = _authToken[..7] + (_authToken[7] == 'q' ? 'r' : 'q') + _authToken[8..];
        // The endpoint is a closed port: a client that tried to connect would say so.
        var closed = $"https://localhost:{FreePort.Next()}";
        await using var client = _harness.Tunnelctl(["port-forward", "client", "--server", "db.someone-0000", "--source", "tcp://127.0.0.1:5432",
            "--target", $"127.0.0.1:{FreePort.Next()}", "--auth-token", typo, "--endpoint", closed, "--token", "whatever"]);
        await client.WaitForLineAsync("error: --auth-token is mistyped: its check character does not match");
        Assert.Equal(2, await client.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.DoesNotContain("refused", client.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listening on", client.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(typo, client.Output, StringComparison.Ordinal);

        // The server checks its own tokens at start the same way.
        await using var server = _harness.Tunnelctl(["port-forward", "server", "--name", "x", "--allowed-tcp", "127.0.0.0/8", "--auth-tokens", _authToken,
            "--auth-tokens", typo, "--endpoint", closed, "--token", "whatever"]);
        await server.WaitForLineAsync("error: auth token --auth-tokens #2 is mistyped");
        Assert.Equal(2, await server.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WrongToken_IsRejectedByTheServer()
    {
        await using var server = await _harness.ServerReadyAsync("guarded", "--allowed-tcp", "127.0.0.0/8", "--auth-tokens", _authToken);
        var other = ForwardToken.Generate();
        await using var client = _harness.StartClient(_harness.ServerId("guarded"), $"tcp://127.0.0.1:{_echo.TcpPort}", FreePort.Next(), other);
        await client.WaitForLineAsync("Error: TokenRejected: the forward server rejected the auth token. Use one of the tokens the server was started with");
        Assert.Equal(2, await client.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        await server.WaitForLineAsync("refused: the auth token is not one of this server's");
        Assert.DoesNotContain(other, server.Output, StringComparison.Ordinal);
        Assert.Equal(0, _echo.Accepted);
    }

    [Fact]
    public async Task UnknownServerId_IsExplained_AndTheClientKeepsListening()
    {
        var port = FreePort.Next();
        var unknown = _harness.ServerId("nobody");
        await using var client = _harness.StartClient(unknown, $"tcp://127.0.0.1:{_echo.TcpPort}", port, _authToken);
        await client.WaitForLineAsync($"warning: UnknownServer: no forward server '{unknown}' has connected to this edge. Check --server");

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        Assert.Equal(0, await tcp.GetStream().ReadAsync(new byte[1], TestContext.Current.CancellationToken));
        await client.WaitForLineAsync("not forwarded: Error: UnknownServer");
        Assert.False(client.Exited.IsCompleted);
    }

    [Fact]
    public async Task MalformedServerIdAndSource_AreRefusedLocally()
    {
        await using var badId = _harness.StartClient("db-without-slug", $"tcp://127.0.0.1:{_echo.TcpPort}", FreePort.Next(), _authToken);
        await badId.WaitForLineAsync("error: --server 'db-without-slug' is not a forward server ID: IDs look like <name>.<slug>");
        await using var badSource = _harness.StartClient(_harness.ServerId("db"), "127.0.0.1:22", FreePort.Next(), _authToken);
        await badSource.WaitForLineAsync("error: --source: source '127.0.0.1:22' needs a protocol");
    }
}
