using System.Net;
using System.Text.Json;

namespace TunnelOperator.Edge.Tests.EndToEnd;

public sealed class AdminApiTests : IAsyncLifetime
{
    private InProcessEdge _edge = null!;
    private OriginServer _origin = null!;

    public async ValueTask InitializeAsync()
    {
        _edge = await InProcessEdge.StartAsync();
        _origin = await OriginServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _origin.DisposeAsync();
        await _edge.DisposeAsync();
    }

    [Fact]
    public async Task AdminTunnels_ListsEachLiveTunnelWithItsSession()
    {
        var (token, _, slug) = await _edge.CreateUserAsync("admin-view@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url, name: "shown");
        var opened = await agent.NextOpenedAsync();

        using var admin = _edge.AdminClient();
        var rows = JsonDocument.Parse(await admin.GetStringAsync("/admin/tunnels", TestContext.Current.CancellationToken)).RootElement;
        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal($"shown-{slug}", row.GetProperty("subdomain").GetString());
        Assert.Equal(opened.PublicUrl, row.GetProperty("public_url").GetString());
        Assert.Equal("admin-view@example.com", row.GetProperty("user_email").GetString());
        Assert.Equal("test-agent", row.GetProperty("client_version").GetString());
        Assert.StartsWith("127.0.0.1:", row.GetProperty("peer_addr").GetString(), StringComparison.Ordinal);
        Assert.True(Guid.TryParse(row.GetProperty("session_id").GetString(), out _));
        Assert.True(DateTimeOffset.TryParse(row.GetProperty("connected_at").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.True(row.GetProperty("age_seconds").GetInt64() >= 0);
    }

    [Fact]
    public async Task AdminEndpoints_WithoutTheToken_Get401()
    {
        using var anonymous = new HttpClient { BaseAddress = _edge.AdminUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/tunnels", TestContext.Current.CancellationToken)).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/users", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Metrics_ExposeTunnelAndRequestSeriesInPrometheusFormat()
    {
        var (token, _, _) = await _edge.CreateUserAsync("metrics@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url);
        var opened = await agent.NextOpenedAsync();
        using var client = _edge.PublicClient();
        await client.GetAsync(new Uri(new Uri(opened.PublicUrl), "/status/204"), TestContext.Current.CancellationToken);
        await client.GetAsync($"https://missing.localhost:{_edge.HttpsPort}/", TestContext.Current.CancellationToken);

        using var admin = new HttpClient { BaseAddress = _edge.AdminUrl };
        var response = await admin.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("tunnel_tunnels_active 1", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_tunnels_connected_total 1", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_requests_total 2", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_responses_total{code=\"204\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_responses_total{code=\"502\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tunnel_edge_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_request_duration_seconds_count 2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OfAFreshEdge_ShowTheCountersAtZero()
    {
        using var admin = new HttpClient { BaseAddress = _edge.AdminUrl };
        var text = await admin.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        foreach (var counter in new[] { "tunnel_tunnels_connected_total", "tunnel_edge_requests_total", "tunnel_edge_body_limit_exceeded_total", "tunnel_agent_sessions_total", "tunnel_agent_auth_failures_total" })
        {
            Assert.Contains($"# TYPE {counter} counter", text, StringComparison.Ordinal);
            Assert.Contains($"\n{counter} 0\n", text, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Requests Kestrel refuses itself (a 431 for oversized headers, a 400 for a broken request
    /// line) never reach the forwarder; Kestrel's connection metrics, exported beside ours,
    /// count them by reason.
    /// </summary>
    [Fact]
    public async Task Metrics_CountRequestsKestrelRefusesBeforeTheForwarder()
    {
        foreach (var request in new[] { $"GET / HTTP/1.1\r\nHost: x.localhost\r\nX-Big: {new string('a', 64 * 1024)}\r\n\r\n", "NOT A REQUEST LINE\r\n\r\n" })
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, _edge.HttpPort, TestContext.Current.CancellationToken);
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
            var answer = new byte[256];
            var read = await socket.ReceiveAsync(answer, TestContext.Current.CancellationToken);
            Assert.StartsWith("HTTP/1.1 4", System.Text.Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
        }

        using var admin = new HttpClient { BaseAddress = _edge.AdminUrl };
        var text = string.Empty;
        // A connection's duration is recorded once Kestrel has closed it, after the answer.
        await Until.TrueAsync(async () =>
        {
            text = await admin.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
            return text.Contains("invalid_request_line", StringComparison.Ordinal) && text.Contains("max_request_headers_total_size_exceeded", StringComparison.Ordinal);
        }, "Kestrel's connection metrics of both refused requests", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains("kestrel_connection_duration", text, StringComparison.Ordinal);
        Assert.Contains("error_type=\"invalid_request_line\"", text, StringComparison.Ordinal);
        Assert.Contains("error_type=\"max_request_headers_total_size_exceeded\"", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_requests_total 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAndReadiness_AnswerWithoutAuthentication()
    {
        using var anonymous = new HttpClient { BaseAddress = _edge.AdminUrl };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task UsersAndTokens_CanBeManagedThroughTheApi()
    {
        using var admin = _edge.AdminClient();
        var created = await admin.PostAsync("/admin/users", new StringContent("{\"email\":\"api@example.com\"}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var duplicate = await admin.PostAsync("/admin/users", new StringContent("{\"email\":\"api@example.com\"}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var issued = await admin.PostAsync("/admin/tokens", new StringContent("{\"email\":\"api@example.com\",\"name\":\"ci\"}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("token").GetString()!;

        await using var agent = _edge.StartAgent(token, _origin.Url);
        await agent.NextOpenedAsync();
        var bad = await admin.PostAsync("/admin/users", new StringContent("not json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
