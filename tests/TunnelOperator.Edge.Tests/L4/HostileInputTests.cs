using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TunnelOperator.Protocol.ProxyProtocol;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>What the front door and the PROXY v2 reader do with broken, huge, slow and unwanted input.</summary>
public sealed class HostileInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends the bytes, then returns what came back until the edge closed (or the limit passed).</summary>
    private static async Task<(byte[] Answer, TimeSpan ClosedAfter)> SendAsync(int port, byte[] bytes, bool halfClose = false, TimeSpan? limit = null)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
        var clock = Stopwatch.StartNew();
        await socket.SendAsync(bytes, Ct);
        if (halfClose)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        return (await DrainAsync(socket, limit ?? TimeSpan.FromSeconds(10)), clock.Elapsed);
    }

    private static async Task<byte[]> DrainAsync(Socket socket, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(limit);
        var answer = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return [.. answer];
                }

                answer.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (SocketException)
        {
            return [.. answer];
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the edge kept the connection open for {limit} after {answer.Count} bytes");
        }
    }

    private static async Task AssertEdgeStillServesAsync(L4Edge edge)
    {
        using var client = edge.Edge.PublicClient();
        var response = await client.GetAsync(new Uri($"https://nothing-here.localhost:{edge.HttpsPort}/"), Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task TruncatedClientHello_IsClosedWithoutAnAnswer()
    {
        await using var edge = await L4Edge.StartAsync();
        var hello = await ClientHellos.CaptureAsync("app.alice.test");

        var (answer, _) = await SendAsync(edge.HttpsPort, hello[..(hello.Length / 2)], halfClose: true);

        Assert.Empty(answer);
        await AssertEdgeStillServesAsync(edge);
    }

    [Fact]
    public async Task OversizedClientHello_IsClosedAsSoonAsItIsAnnounced()
    {
        await using var edge = await L4Edge.StartAsync();

        var (answer, closedAfter) = await SendAsync(edge.HttpsPort, [22, 3, 1, 0x40, 0x00, 1, 0x01, 0x00, 0x00, 3, 3]);

        Assert.Empty(answer);
        Assert.True(closedAfter < TimeSpan.FromSeconds(5), $"closed after {closedAfter}");
        await AssertEdgeStillServesAsync(edge);
    }

    [Fact]
    public async Task ManyRecordsBeyondTheLimit_AreClosed()
    {
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { MaxClientHelloBytes = 4096 });
        var hello = ClientHellos.Build((0, ClientHellos.ServerNameExtension("a.alice.test")), (0xFFEE, new byte[6000]));

        var (answer, _) = await SendAsync(edge.HttpsPort, ClientHellos.Refragment(hello, 1000));

        Assert.Empty(answer);
    }

    [Fact]
    public async Task SlowTrickleClientHello_IsClosedAtTheHelloTimeout()
    {
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { ClientHelloTimeout = TimeSpan.FromSeconds(1) });
        var hello = await ClientHellos.CaptureAsync("app.alice.test");
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, edge.HttpsPort, Ct);
        var clock = Stopwatch.StartNew();

        var closed = false;
        for (var i = 0; i < hello.Length && clock.Elapsed < TimeSpan.FromSeconds(10); i++)
        {
            try
            {
                await socket.SendAsync(hello.AsMemory(i, 1), Ct);
            }
            catch (SocketException)
            {
                closed = true;
                break;
            }

            if (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)
            {
                closed = true;
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.True(closed, "the edge waited for the whole trickled ClientHello");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData("v2 signature, then garbage")]
    [InlineData("v1 text header")]
    public async Task ProxyHeaderFromAnUntrustedPeer_IsRefused(string kind)
    {
        await using var edge = await L4Edge.StartAsync();
        byte[] header = kind.StartsWith("v1", StringComparison.Ordinal)
            ? "PROXY TCP4 203.0.113.9 127.0.0.1 1234 443\r\n"u8.ToArray()
            : ProxyHeaderWriter.Encode(new ProxyHeader { Source = IPEndPoint.Parse("203.0.113.9:1234"), Destination = IPEndPoint.Parse("127.0.0.1:443") });

        var (answer, _) = await SendAsync(edge.HttpsPort, [.. header, .. await ClientHellos.CaptureAsync("localhost")]);

        Assert.Empty(answer);
    }

    /// <summary>
    /// On a declared TCP port too: a peer outside the trusted proxies that starts with a PROXY
    /// header is closed, and the origin (an echo) gets none of its bytes, so it cannot be fed a
    /// forged client address. Plain bytes, even ones that begin like a signature, still pass.
    /// </summary>
    [Theory]
    [InlineData("v2 signature, then data")]
    [InlineData("v1 text header, then data")]
    public async Task ProxyHeaderFromAnUntrustedPeer_OnATcpPort_IsRefused(string kind)
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var (agent, _) = await edge.StartSyncedAgentAsync(await edge.InviteAsync("alice", "*.alice.test"), tcp: $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""");
        await using var _a = agent;
        byte[] header = kind.StartsWith("v1", StringComparison.Ordinal)
            ? "PROXY TCP4 203.0.113.9 127.0.0.1 1234 443\r\n"u8.ToArray()
            : ProxyHeaderWriter.Encode(new ProxyHeader { Source = IPEndPoint.Parse("203.0.113.9:1234"), Destination = IPEndPoint.Parse("127.0.0.1:443") });

        var (answer, _) = await SendAsync(port, [.. header, .. "hello"u8]);

        Assert.Empty(answer);
        Assert.Equal("hello", await PortTests.TcpRoundTripAsync(port, "hello"));
        Assert.Equal("\r\n\r\nnot a header", await PortTests.TcpRoundTripAsync(port, "\r\n\r\nnot a header"));
    }

    [Fact]
    public async Task APeerThatSendsWhatBeginsASignatureAndWaits_GetsItsBytesDeliveredAfterAHold()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var (agent, _) = await edge.StartSyncedAgentAsync(await edge.InviteAsync("alice", "*.alice.test"), tcp: $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""");
        await using var _a = agent;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);

        await socket.SendAsync("\r\n"u8.ToArray(), Ct);
        var echoed = new byte[2];
        var got = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (got < 2)
        {
            got += await socket.ReceiveAsync(echoed.AsMemory(got), timeout.Token);
        }

        Assert.Equal("\r\n"u8.ToArray(), echoed);
    }

    public static TheoryData<string, byte[]> MalformedProxyHeaders()
    {
        var good = ProxyHeaderWriter.Encode(new ProxyHeader { Source = IPEndPoint.Parse("203.0.113.9:1234"), Destination = IPEndPoint.Parse("127.0.0.1:443") });
        var badVersion = (byte[])good.Clone();
        badVersion[12] = 0x31;
        var shortLength = (byte[])good.Clone();
        shortLength[15] = 2;
        return new TheoryData<string, byte[]>
        {
            { "no header at all (a ClientHello)", [22, 3, 1, 0, 5, 1, 0, 0, 1, 0] },
            { "version 3", badVersion },
            { "a length below the addresses", shortLength },
            { "a text (v1) header", "PROXY TCP4 203.0.113.9 127.0.0.1 1234 443\r\n"u8.ToArray() },
            { "a truncated header", good[..20] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedProxyHeaders))]
    public async Task MalformedProxyHeader_FromATrustedPeer_IsClosed(string what, byte[] bytes)
    {
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { TrustedProxies = [IPNetwork.Parse("127.0.0.0/8")], ProxyHeaderTimeout = TimeSpan.FromSeconds(1) });

        var (answer, closedAfter) = await SendAsync(edge.HttpsPort, bytes);

        Assert.True(answer.Length == 0, what);
        Assert.True(closedAfter < TimeSpan.FromSeconds(5), $"{what}: closed after {closedAfter}");
    }

    [Fact]
    public async Task TrustedPeerThatSendsNothing_IsClosedAtTheHeaderTimeout()
    {
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")], ProxyHeaderTimeout = TimeSpan.FromMilliseconds(500) });

        var (answer, closedAfter) = await SendAsync(edge.HttpsPort, []);

        Assert.Empty(answer);
        Assert.InRange(closedAfter, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task TrustedProxyHeader_OnThePlainHttpPort_BecomesTheForwardedClient()
    {
        await using var origin = await OriginServer.StartAsync();
        await using var edge = await L4Edge.StartAsync(l4 => l4 with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });
        var (token, _, _) = await edge.Edge.CreateUserAsync("lb@example.com");
        await using var agent = edge.Edge.StartAgent(token, origin.Url);
        var opened = await agent.NextOpenedAsync();
        var host = new Uri(opened.PublicUrl).Host;
        var header = ProxyHeaderWriter.Encode(new ProxyHeader { Source = IPEndPoint.Parse("203.0.113.9:40000"), Destination = IPEndPoint.Parse("198.51.100.1:80") });
        var request = Encoding.ASCII.GetBytes($"GET /echo HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        var (answer, _) = await SendAsync(edge.Edge.HttpPort, [.. header, .. request]);

        var text = Encoding.UTF8.GetString(answer);
        Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
        Assert.Contains("\"x-forwarded-for\":\"203.0.113.9\"", text, StringComparison.Ordinal);
    }
}
