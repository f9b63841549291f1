using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace TunnelOperator.Edge.Tests.EndToEnd;

/// <summary>Bodies stream both ways through the tunnel; WebSockets and server-sent events work.</summary>
public sealed class StreamingAndUpgradeTests : IAsyncLifetime
{
    private InProcessEdge _edge = null!;
    private OriginServer _origin = null!;
    private AgentHandle _agent = null!;
    private Uri _url = null!;

    public async ValueTask InitializeAsync()
    {
        _edge = await InProcessEdge.StartAsync(o => o with { MaxRequestBodyBytes = null });
        _origin = await OriginServer.StartAsync();
        var (token, _, _) = await _edge.CreateUserAsync("stream@example.com");
        _agent = _edge.StartAgent(token, _origin.Url);
        _url = new Uri((await _agent.NextOpenedAsync()).PublicUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _origin.DisposeAsync();
        await _edge.DisposeAsync();
    }

    [Fact]
    public async Task LargeDownload_ArrivesIntactWithContentLengthAndChunked()
    {
        const long size = 32L * 1024 * 1024;
        using var client = _edge.PublicClient();
        foreach (var query in new[] { "?length=1", "" })
        {
            using var response = await client.GetAsync(new Uri(_url, $"/bytes/{size}{query}"), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            var pattern = OriginServer.Pattern(64 * 1024);
            var buffer = new byte[64 * 1024];
            long offset = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    Assert.Equal(pattern[(int)((offset + i) % pattern.Length)], buffer[i]);
                }

                offset += read;
            }

            Assert.Equal(size, offset);
        }
    }

    [Fact]
    public async Task LargeUpload_StreamsToTheOriginIntact()
    {
        var data = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        using var client = _edge.PublicClient();
        var response = await client.PostAsync(new Uri(_url, "/sink"), new StreamContent(new MemoryStream(data)), TestContext.Current.CancellationToken);
        var report = OriginServer.ParseJson(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(data.Length, report.GetProperty("length").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), report.GetProperty("sha256").GetString());
    }

    /// <summary>
    /// Over HTTP/1.1 the client upgrades (101); over HTTP/2 it uses extended CONNECT (RFC 8441,
    /// answered 200), as browsers do on a page loaded over h2, and the edge speaks the HTTP/1.1
    /// handshake to the origin. Both carry the same frames.
    /// </summary>
    [Theory]
    [InlineData("1.1", HttpStatusCode.SwitchingProtocols)]
    [InlineData("2.0", HttpStatusCode.OK)]
    public async Task WebSocket_EchoesTextAndBinaryThroughTheTunnel(string version, HttpStatusCode handshake)
    {
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = Version.Parse(version);
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        using var invoker = new HttpMessageInvoker(WebSocketHandler());
        var wsUri = new UriBuilder(_url) { Scheme = "wss", Path = "/ws" }.Uri;
        await socket.ConnectAsync(wsUri, invoker, TestContext.Current.CancellationToken);
        Assert.Equal(handshake, socket.HttpStatusCode);

        var buffer = new byte[128 * 1024];
        foreach (var (type, payload) in new[] { (WebSocketMessageType.Text, Encoding.UTF8.GetBytes("hello over the tunnel")), (WebSocketMessageType.Binary, RandomNumberGenerator.GetBytes(100_000)) })
        {
            await socket.SendAsync(payload, type, endOfMessage: true, TestContext.Current.CancellationToken);
            var received = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
                received.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            Assert.Equal(type, result.MessageType);
            Assert.Equal(payload, received.ToArray());
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task ServerSentEvents_ReachTheClientBeforeTheResponseEnds()
    {
        using var client = _edge.PublicClient();
        using var response = await client.GetAsync(new Uri(_url, "/sse"), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        // The origin holds after each event until released: reading the first event proves it
        // was flushed through edge and agent without waiting for the rest.
        Assert.Equal("data: event-0", await reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        _origin.ReleaseHeld();
    }

    private SocketsHttpHandler WebSocketHandler()
    {
        var port = _edge.HttpsPort;
        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(_edge.CaPath));
        return new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
            },
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
                {
                    TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                },
            },
        };
    }
}
