using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>Declared TCP and UDP ports, end to end on loopback.</summary>
public sealed class PortTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TcpPort_EchoesAndCarriesEightMegabytesEachWay()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tcp: $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""");
        await using var _ = agent;
        Assert.True(Assert.Single(synced.Services).Accepted);
        Assert.Equal($"tcp://localhost:{port}", synced.Services[0].PublicAddress);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = client.GetStream();
        var payload = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        var send = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 100_000)
            {
                await stream.WriteAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)), Ct);
            }

            client.Client.Shutdown(SocketShutdown.Send);
        }, Ct);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await send;

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public async Task HaproxyBothSides_TheEdgeTrustsTheBalancer_AndTheOriginLearnsTheClientFromTheAgent()
    {
        await using var peers = new OriginPeers();
        var origin = await peers.HaproxyAcceptProxyAsync();
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });
        var port = FreePort.Next();
        var balancer = await peers.HaproxySendProxyV2Async(port);
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tcp: $$"""[{"name":"web","origin":"127.0.0.1:{{origin}}","listen_port":{{port}},"proxy_protocol":"v2"}]""");
        await using var _ = agent;
        Assert.True(Assert.Single(synced.Services).Accepted);

        var (code, output, error) = await RealTools.CurlAsync("-w", "local=%{local_port}", $"http://127.0.0.1:{balancer}/");

        Assert.True(code == 0, error);
        var localPort = output.Split("local=")[1];
        Assert.Contains($"client=127.0.0.1:{localPort} ", output, StringComparison.Ordinal);
        Assert.Contains($"server=127.0.0.1:{balancer}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UdpPort_ManyClientsAtOnce_EachHasItsOwnSessionAndReplies()
    {
        await using var origin = new UdpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, udp: $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""");
        await using var _ = agent;
        Assert.True(Assert.Single(synced.Services).Accepted);

        var clients = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var ports = new HashSet<string>();
            for (var n = 0; n < 10; n++)
            {
                var reply = await RoundTripAsync(udp, port, $"client {i} datagram {n}");
                var parts = reply.Split('|', 2);
                Assert.Equal($"client {i} datagram {n}", parts[1]);
                ports.Add(parts[0]);
            }

            return Assert.Single(ports);
        }, Ct)));

        Assert.Equal(50, clients.Distinct().Count());
    }

    [Fact]
    public async Task UdpPort_CarriesDatagramsUpTo64KiB()
    {
        await using var origin = new UdpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, _) = await edge.StartSyncedAgentAsync(token, udp: $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""");
        await using var _a = agent;

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var payload = new string('x', 60_000);
        var reply = await RoundTripAsync(udp, port, payload);

        Assert.Equal(payload, reply.Split('|', 2)[1]);
    }

    /// <summary>
    /// A datagram of the UDP maximum (65,507 bytes) cannot take a PROXY v2 header in front of
    /// it towards the origin: that one datagram is dropped, the client's session goes on.
    /// </summary>
    [Fact]
    public async Task UdpDatagramTooLargeForItsProxyHeader_IsDropped_AndTheSessionGoesOn()
    {
        await using var origin = new UdpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, _) = await edge.StartSyncedAgentAsync(token, udp: $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}},"proxy_protocol":"v2"}]""");
        await using var _a = agent;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        var before = await RoundTripAsync(udp, port, "before");
        await udp.SendAsync(new byte[65_507], new IPEndPoint(IPAddress.Loopback, port), Ct);
        var after = await RoundTripAsync(udp, port, "after");

        Assert.EndsWith("before", before, StringComparison.Ordinal);
        Assert.EndsWith("after", after, StringComparison.Ordinal);
        // The same agent socket answered: the session that met the oversized datagram lives on.
        Assert.Equal(before.Split('|')[0], after.Split('|')[0]);
        Assert.True(origin.Last.AsSpan().StartsWith(ProxySignature), "the origin got the PROXY v2 header");
    }

    private static readonly byte[] ProxySignature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    [Fact]
    public async Task UdpSessions_AreReapedWhenIdle_AndTheNextDatagramStartsANewOne()
    {
        await using var origin = new UdpEchoOrigin();
        var idle = TimeSpan.FromMilliseconds(700);
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { UdpIdleTimeout = idle });
        var port = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, _) = await edge.StartSyncedAgentAsync(token, udp: $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""", udpIdle: idle);
        await using var _a = agent;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        var first = (await RoundTripAsync(udp, port, "a")).Split('|')[0];
        var stillActive = (await RoundTripAsync(udp, port, "b")).Split('|')[0];
        await Task.Delay(idle * 3, Ct);
        var afterIdle = (await RoundTripAsync(udp, port, "c")).Split('|')[0];

        Assert.Equal(first, stillActive);
        Assert.NotEqual(first, afterIdle);
    }

    [Theory]
    [InlineData("t", "u")]
    [InlineData("dns", "dns")] // one name for a TCP and a UDP service
    public async Task TcpAndUdp_OnOnePortNumber_Coexist(string tcpName, string udpName)
    {
        await using var tcpOrigin = new TcpEchoOrigin();
        await using var udpOrigin = new UdpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token,
            tcp: $$"""[{"name":"{{tcpName}}","origin":"{{tcpOrigin.Origin}}","listen_port":{{port}}}]""",
            udp: $$"""[{"name":"{{udpName}}","origin":"{{udpOrigin.Origin}}","listen_port":{{port}}}]""");
        await using var _ = agent;
        Assert.All(synced.Services, s => Assert.True(s.Accepted, s.Reason));

        Assert.Equal("ping", await TcpRoundTripAsync(port, "ping"));
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.EndsWith("|pong", await RoundTripAsync(udp, port, "pong"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivilegedPorts_AreRefusedWithTheReason_UnlessTheEdgeAllowsThem()
    {
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tcp: """[{"name":"low","origin":"127.0.0.1:9","listen_port":1000}]""");
        await using var _ = agent;

        var status = Assert.Single(synced.Services);
        Assert.False(status.Accepted);
        Assert.Equal(ErrorCode.PermissionDenied, status.Code);
        Assert.Contains("--allow-privileged-ports", status.Reason, StringComparison.Ordinal);

        // With the flag, a free port below 1024 is served (the tests run as root, as CI does).
        await using var origin = new TcpEchoOrigin();
        await using var allowing = await L4Edge.StartAsync(l4 => l4 with { AllowPrivilegedPorts = true });
        var low = FreePrivilegedPort();
        var (lowAgent, lowSynced) = await allowing.StartSyncedAgentAsync(await allowing.InviteAsync("alice", "*.alice.test"), tcp: $$"""[{"name":"low","origin":"{{origin.Origin}}","listen_port":{{low}}}]""");
        await using var _l = lowAgent;
        Assert.True(Assert.Single(lowSynced.Services).Accepted, lowSynced.Services[0].Reason);
        Assert.Equal("below 1024", await TcpRoundTripAsync(low, "below 1024"));
    }

    private static int FreePrivilegedPort()
    {
        for (var port = 1023; port >= 600; port--)
        {
            try
            {
                using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port between 600 and 1023 on loopback");
    }

    internal static async Task<string> RoundTripAsync(UdpClient udp, int port, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        for (var attempt = 0; ; attempt++)
        {
            await udp.SendAsync(bytes, new IPEndPoint(IPAddress.Loopback, port), Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(attempt < 3 ? 2 : 10));
            try
            {
                var reply = await udp.ReceiveAsync(timeout.Token);
                return Encoding.ASCII.GetString(reply.Buffer);
            }
            catch (OperationCanceledException) when (attempt < 3 && !Ct.IsCancellationRequested)
            {
                // UDP may drop; a real client retries too.
            }
        }
    }

    internal static async Task<string> TcpRoundTripAsync(int port, string text)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), Ct);
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }
}
