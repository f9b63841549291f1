using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Agent.Forwards;
using TunnelOperator.Protocol.Forwards;
using TunnelOperator.Protocol.V1;

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

    /// <summary>
    /// The server's side of the token proof, driven at the protocol level through the real edge
    /// (what a relay that recorded a stream could try): a fresh proof passes, while the same
    /// request replayed on another stream, a proof for another source, and a request with no
    /// proof (an older client) are refused.
    /// </summary>
    [Fact]
    public async Task ReplayedOrRewrittenProofs_AreRejected_AFreshOnePasses()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await _harness.ServerReadyAsync("challenged", "--allowed-tcp", "127.0.0.0/8", "--auth-tokens", _authToken);
        var settings = new EdgeSettings { Endpoint = _harness.Edge.ControlEndpoint, Token = _harness.Token, CaCertificatePath = _harness.Edge.CaPath };
        var connect = await EdgeSession.ConnectAsync(settings, NullLoggerFactory.Instance, TimeProvider.System, ct);
        await using var session = connect.Session ?? throw new InvalidOperationException(connect.Failure?.Message);
        var serverId = _harness.ServerId("challenged");
        var (_, failure) = await session.ExchangeAsync(
            new ClientMessage { AttachForwardClient = new AttachForwardClient { RequestId = 1, ServerId = serverId } },
            ServerMessage.KindOneofCase.ForwardClientAttached, "attaching", "the client attached", ct);
        Assert.Null(failure);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = session.RunAsync(stop.Token);

        var source = $"tcp://127.0.0.1:{_echo.TcpPort}";
        var key = ForwardProof.KeyOf(_authToken);
        ForwardRequest Fresh(byte[] challenge, string forSource) =>
            new() { Source = source, Probe = true, TokenProof = ByteString.CopyFrom(ForwardProof.Compute(key, challenge, forSource, probe: true)) };

        var first = await ChallengeAndAnswerAsync(session, serverId, challenge => Fresh(challenge, source));
        Assert.Equal(ForwardStatus.Ok, first.Reply.Status);

        var replayed = await ChallengeAndAnswerAsync(session, serverId, _ => first.Request);
        Assert.NotEqual(first.Challenge, replayed.Challenge);
        Assert.Equal(ForwardStatus.TokenRejected, replayed.Reply.Status);

        var rewritten = await ChallengeAndAnswerAsync(session, serverId, challenge => Fresh(challenge, "tcp://127.0.0.1:1"));
        Assert.Equal(ForwardStatus.TokenRejected, rewritten.Reply.Status);

        var unproven = await ChallengeAndAnswerAsync(session, serverId, _ => new ForwardRequest { Source = source, Probe = true });
        Assert.Equal(ForwardStatus.TokenRejected, unproven.Reply.Status);
        Assert.Contains("no token proof", unproven.Reply.Message, StringComparison.Ordinal);

        await server.WaitForLineAsync("refused: the auth token is not one of this server's (no proof)");
        Assert.Equal(0, _echo.Accepted);
        await stop.CancelAsync();
        await running;
    }

    private static async Task<(byte[] Challenge, ForwardRequest Request, ForwardReply Reply)> ChallengeAndAnswerAsync(
        EdgeSession session, string serverId, Func<byte[], ForwardRequest> answer)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stream = await session.Mux.OpenStreamAsync(ct);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        await ForwardFraming.WriteAsync(stream, new ForwardOpen { ServerId = serverId }, ct);
        var challenge = await ForwardFraming.ReadAsync(reader, ForwardReply.Parser, ct);
        Assert.Equal(ForwardStatus.Challenge, challenge.Message?.Status);
        Assert.Equal(ForwardProof.ChallengeLength, challenge.Message!.Challenge.Length);
        var request = answer(challenge.Message.Challenge.ToByteArray());
        await ForwardFraming.WriteAsync(stream, request, ct);
        var reply = await ForwardFraming.ReadAsync(reader, ForwardReply.Parser, ct);
        await reader.CompleteAsync();
        return (challenge.Message.Challenge.ToByteArray(), request, reply.Message ?? throw new InvalidOperationException($"no final reply: {reply.Status}"));
    }
}
