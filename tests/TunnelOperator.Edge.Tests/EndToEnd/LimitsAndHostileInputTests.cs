using System.Net;
using System.Net.Sockets;
using System.Text;
using TunnelOperator.Edge.Forwarding;

namespace TunnelOperator.Edge.Tests.EndToEnd;

/// <summary>Per-tunnel limits, and requests that must be refused before they reach any origin.</summary>
public sealed class LimitsAndHostileInputTests : IAsyncLifetime
{
    private InProcessEdge _edge = null!;
    private OriginServer _origin = null!;
    private AgentHandle _agent = null!;
    private Uri _url = null!;

    public async ValueTask InitializeAsync()
    {
        _edge = await InProcessEdge.StartAsync(o => o with { MaxConcurrentRequestsPerTunnel = 2, MaxRequestBodyBytes = 1024 * 1024 });
        _origin = await OriginServer.StartAsync();
        var (token, _, _) = await _edge.CreateUserAsync("limits@example.com");
        _agent = _edge.StartAgent(token, _origin.Url, name: "limits");
        _url = new Uri((await _agent.NextOpenedAsync()).PublicUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _origin.DisposeAsync();
        await _edge.DisposeAsync();
    }

    [Fact]
    public async Task RequestsPastMaxConcurrent_Get503_AndSucceedOnceASlotFrees()
    {
        using var client = _edge.PublicClient();
        var held = new[] { client.GetAsync(new Uri(_url, "/hold")), client.GetAsync(new Uri(_url, "/hold")) };
        await _origin.Held.Reader.ReadAsync(TestContext.Current.CancellationToken);
        await _origin.Held.Reader.ReadAsync(TestContext.Current.CancellationToken);

        var refused = await client.GetAsync(new Uri(_url, "/echo"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpForwarder.CapacityMessage + "\n", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        _origin.ReleaseHeld();
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(_url, "/echo"), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task BodyOverTheLimit_WithContentLength_Gets413AndIsCounted()
    {
        using var client = _edge.PublicClient();
        // With Expect: 100-continue (curl sends it for large bodies) the edge answers 413 before
        // the client sends a byte of the body, so the refusal is read cleanly.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_url, "/sink")) { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.DoesNotContain(_origin.Seen, s => s.StartsWith("POST /sink", StringComparison.Ordinal));
        Assert.Contains("tunnel_edge_body_limit_exceeded_total 1", await MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyOverTheLimit_Chunked_Gets413()
    {
        using var client = _edge.PublicClient();
        var content = new StreamContent(new MemoryStream(new byte[3 * 1024 * 1024]));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_url, "/sink")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            // The edge may close the connection while the client is still sending; what
            // matters then is that the limit was enforced and counted.
            Assert.Contains("tunnel_edge_body_limit_exceeded_total 1", await MetricsAsync(), StringComparison.Ordinal);
            return;
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("tunnel_edge_body_limit_exceeded_total 1", await MetricsAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")]
    [InlineData("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")]
    [InlineData("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5, 5\r\n\r\nhello")]
    [InlineData("GET /echo HTTP/1.1\r\nHost: bad_host!.localhost\r\n\r\n")]
    [InlineData("GET /echo HTTP/1.1\r\nHost: {host}\r\nHost: other.localhost\r\n\r\n")]
    [InlineData("GET /echo HTTP/1.1\r\n\r\n")]
    [InlineData("GET /echo HTTP/1.1\r\nHost: {host}\r\nX-Big: {big}\r\n\r\n")]
    [InlineData("GET /echo HTTP/1.1\r\nHost: {host}\r\nBad Header: x\r\n\r\n")]
    [InlineData("GET /echo HTTP/1.1\r\nHost: {host}\r\nX-Nul: a\0b\r\n\r\n")]
    public async Task HostileRequest_Gets4xx_AndNeverReachesTheOrigin(string template)
    {
        var raw = template.Replace("{host}", _url.Authority, StringComparison.Ordinal).Replace("{big}", new string('a', 40 * 1024), StringComparison.Ordinal);
        var status = await SendRawAsync(_edge.HttpPort, raw);
        Assert.InRange(status, 400, 499);
        Assert.DoesNotContain(_origin.Seen, s => s.Contains("/echo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostOfAnotherDomain_Gets421_AndNeverReachesATunnel()
    {
        var status = await SendRawAsync(_edge.HttpPort, $"GET /echo HTTP/1.1\r\nHost: {_url.Host}.evil.example\r\n\r\n");
        Assert.Equal(421, status);
        Assert.Empty(_origin.Seen);
    }

    [Fact]
    public async Task ClientDisconnect_CancelsTheUpstreamRequest()
    {
        using var client = _edge.PublicClient();
        using var cancel = new CancellationTokenSource();
        var request = client.GetAsync(new Uri(_url, "/hold"), cancel.Token);
        await _origin.Held.Reader.ReadAsync(TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        // The origin sees its request aborted: the cancellation crossed the tunnel.
        await _origin.Aborted.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }

    private async Task<string> MetricsAsync()
    {
        using var admin = _edge.AdminClient();
        return await admin.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
    }

    /// <summary>Writes raw bytes to the edge's plain-HTTP port and returns the response status code.</summary>
    private static async Task<int> SendRawAsync(int port, string raw)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotNull(statusLine);
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
