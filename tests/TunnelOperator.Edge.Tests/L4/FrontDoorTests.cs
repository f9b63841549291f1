using System.Net;
using System.Net.Sockets;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>The one front door on the HTTPS port, against real TLS origins and clients.</summary>
public sealed class FrontDoorTests
{
    private static void AllAccepted(ServicesSynced synced) =>
        Assert.All(synced.Services, s => Assert.True(s.Accepted, $"{s.Name}: {s.Code} {s.Reason}"));

    [Fact]
    public async Task OpensslOrigin_BehindPassthrough_CurlSeesTheOriginsOwnCertificate()
    {
        await using var peers = new OriginPeers();
        var (cert, key) = peers.SelfSigned("app.alice.test");
        var origin = await peers.OpensslServerAsync(cert, key);
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tls: $$"""[{"hostname":"app.alice.test","origin":"127.0.0.1:{{origin}}","proxy_protocol":"none"}]""");
        await using var _ = agent;
        AllAccepted(synced);

        // Only the origin's self-signed certificate is trusted: the handshake succeeds only if
        // the origin itself answered, and the edge never had that key.
        var (code, body, verbose) = await RealTools.CurlAsync("-v", "--resolve", $"app.alice.test:{edge.HttpsPort}:127.0.0.1", "--cacert", cert, $"https://app.alice.test:{edge.HttpsPort}/");

        Assert.True(code == 0, verbose);
        Assert.Contains("Origin Itself", verbose, StringComparison.Ordinal);
        Assert.Contains("s_server", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NginxOrigin_WithProxyProtocol_ReportsTheRealClientAddressAndSni()
    {
        var (answer, clientPort, httpsPort) = await PassthroughToAsync((peers, cert, key) => peers.NginxProxyProtocolTlsAsync(cert, key));

        Assert.Contains($"client=127.0.0.1:{clientPort} ", answer, StringComparison.Ordinal);
        Assert.Contains($"server=127.0.0.1:{httpsPort} ", answer, StringComparison.Ordinal);
        Assert.Contains("sni=app.alice.test", answer, StringComparison.Ordinal);
    }

    /// <summary>
    /// The AUTHORITY TLV is read by a real peer: haproxy's fc_pp_authority gives the name the
    /// agent put in the PROXY header, which must be the SNI the client sent.
    /// </summary>
    [Fact]
    public async Task HaproxyOrigin_ReadsTheSniFromTheProxyHeadersAuthorityTlv()
    {
        var (answer, clientPort, _) = await PassthroughToAsync((peers, cert, key) => peers.HaproxyAcceptProxyTlsAsync(cert, key));

        Assert.Contains($"client=127.0.0.1:{clientPort} ", answer, StringComparison.Ordinal);
        Assert.Contains("authority=app.alice.test ", answer, StringComparison.Ordinal);
        Assert.Contains("sni=app.alice.test", answer, StringComparison.Ordinal);
    }

    /// <summary>
    /// curl through a passthrough service for app.alice.test (PROXY v2 on, the default) to an
    /// origin that answers with what its PROXY header told it; the answer, curl's own port
    /// and the edge's HTTPS port.
    /// </summary>
    private static async Task<(string Answer, string ClientPort, int HttpsPort)> PassthroughToAsync(Func<OriginPeers, string, string, Task<int>> startOrigin)
    {
        await using var peers = new OriginPeers();
        var (cert, key) = peers.SelfSigned("app.alice.test");
        var origin = await startOrigin(peers, cert, key);
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "app.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tls: $$"""[{"hostname":"app.alice.test","origin":"127.0.0.1:{{origin}}"}]""");
        await using var _ = agent;
        AllAccepted(synced);

        var (code, output, error) = await RealTools.CurlAsync("--resolve", $"app.alice.test:{edge.HttpsPort}:127.0.0.1", "--cacert", cert, "-w", "local=%{local_port}", $"https://app.alice.test:{edge.HttpsPort}/");

        Assert.True(code == 0, error);
        return (output, output.Split("local=")[1], edge.HttpsPort);
    }

    [Fact]
    public async Task HaproxyInFront_SendsProxyV2_TheEdgeTrustsIt_AndTheOriginSeesTheClientBehindHaproxy()
    {
        await using var peers = new OriginPeers();
        var (cert, key) = peers.SelfSigned("app.alice.test");
        var origin = await peers.NginxProxyProtocolTlsAsync(cert, key);
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });
        var balancer = await peers.HaproxySendProxyV2Async(edge.HttpsPort);
        var token = await edge.InviteAsync("alice", "app.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tls: $$"""[{"hostname":"app.alice.test","origin":"127.0.0.1:{{origin}}"}]""");
        await using var _ = agent;
        AllAccepted(synced);

        var (code, output, error) = await RealTools.CurlAsync("--resolve", $"app.alice.test:{balancer}:127.0.0.1", "--cacert", cert, "-w", "local=%{local_port}", $"https://app.alice.test:{balancer}/");

        Assert.True(code == 0, error);
        var localPort = output.Split("local=")[1];
        Assert.Contains($"client=127.0.0.1:{localPort} ", output, StringComparison.Ordinal);
        Assert.Contains($"server=127.0.0.1:{balancer} ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminate_TheEdgeHoldsTheTls_TheOriginGetsPlaintext_AndHttpTunnelsKeepWorking()
    {
        await using var origin = await OriginServer.StartAsync();
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tls: $$$"""[{"hostname":"web.alice.test","origin":"127.0.0.1:{{{origin.Url.Port}}}","tls_mode":{"mode":"terminate"}}]""");
        await using var _ = agent;
        AllAccepted(synced);
        var (userToken, _, _) = await edge.Edge.CreateUserAsync("http@example.com");
        await using var httpAgent = edge.Edge.StartAgent(userToken, origin.Url);
        var opened = await httpAgent.NextOpenedAsync();

        var (code, output, error) = await RealTools.CurlAsync("-v", "--http2", "--resolve", $"web.alice.test:{edge.HttpsPort}:127.0.0.1", "--cacert", edge.Edge.CaPath, $"https://web.alice.test:{edge.HttpsPort}/echo?via=terminate");
        using var client = edge.Edge.PublicClient();
        var viaTunnel = await client.GetAsync(new Uri(new Uri(opened.PublicUrl), "/echo?via=http-tunnel"), TestContext.Current.CancellationToken);

        Assert.True(code == 0, error);
        Assert.Contains("via=terminate", output, StringComparison.Ordinal);
        Assert.Contains("TunnelOperator local CA", error, StringComparison.Ordinal);
        Assert.Contains("ALPN: server accepted http/1.1", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, viaTunnel.StatusCode);
        Assert.Contains("GET /echo?via=terminate", origin.Seen);
        Assert.Contains("GET /echo?via=http-tunnel", origin.Seen);
    }

    [Theory]
    [InlineData("x.alice.test", true)]
    [InlineData("a.b.alice.test", false)]
    [InlineData("alice.test", false)]
    [InlineData("app.bob.test", false)]
    public async Task AWildcardServesExactlyOneLabel_AndUnknownNamesGetAnUnrecognizedNameAlert(string name, bool served)
    {
        await using var peers = new OriginPeers();
        var (cert, key) = peers.SelfSigned("x.alice.test");
        var origin = await peers.OpensslServerAsync(cert, key);
        await using var edge = await L4Edge.StartAsync();
        var alice = await edge.InviteAsync("alice", "*.alice.test");
        var bob = await edge.InviteAsync("bob", "*.bob.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(alice, tls: $$"""[{"hostname":"*.alice.test","origin":"127.0.0.1:{{origin}}","proxy_protocol":"none"}]""");
        await using var _ = agent;
        AllAccepted(synced);
        var (other, _) = await edge.StartSyncedAgentAsync(bob, tls: """[{"hostname":"app.bob.test","origin":"127.0.0.1:9","proxy_protocol":"none"}]""");
        await other.DisposeAsync(); // bob's agent is gone: its name is unknown again once the edge notices
        await Until.TrueAsync(() => edge.L4.Routes.FindHost("app.bob.test") is null, "the edge to drop bob's route after his agent left", cancellationToken: TestContext.Current.CancellationToken);

        var hello = await ClientHellos.CaptureAsync(name);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, edge.HttpsPort);
        await socket.SendAsync(hello);
        var answer = new byte[7];
        var read = await ReadSomeAsync(socket, answer);

        if (served)
        {
            Assert.Equal(22, answer[0]); // the origin's ServerHello
        }
        else
        {
            Assert.Equal([21, 3, 3, 0, 2, 2, 112], answer[..read]); // fatal unrecognized_name
            Assert.Equal(0, await socket.ReceiveAsync(new byte[1]));
        }
    }

    private static async Task<int> ReadSomeAsync(Socket socket, byte[] buffer)
    {
        var total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (total < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(total), timeout.Token);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
