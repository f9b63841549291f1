using System.Diagnostics;
using System.Net;
using System.Text;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Edge.Forwarding;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.EndToEnd;

/// <summary>The HTTP tunnel end to end: an in-process edge and agent, a real origin, real sockets.</summary>
public sealed class HttpTunnelTests : IAsyncLifetime
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
    public async Task RandomTunnel_ServesTheOriginAtAnAdjectiveAnimalNumberUrl()
    {
        var (token, _, _) = await _edge.CreateUserAsync("alice@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url);
        var opened = await agent.NextOpenedAsync();

        Assert.Matches(@"^https://[a-z]+-[a-z]+-\d{4}\.localhost:\d+/$", opened.PublicUrl);
        using var client = _edge.PublicClient();
        var response = await client.GetAsync(new Uri(new Uri(opened.PublicUrl), "/echo?x=1"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = OriginServer.ParseJson(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("/echo?x=1", echo.GetProperty("target").GetString());
        Assert.Equal("test-origin", response.Headers.GetValues("X-Origin").Single());
    }

    [Fact]
    public async Task RandomTunnel_NeverTakesTheSubdomainOfANamedTunnelWhoseOwnerIsOffline()
    {
        await using var edge = await InProcessEdge.StartAsync();
        var (owner, _, slug) = await edge.CreateUserAsync("owner@example.com");
        await using (var named = edge.StartAgent(owner, _origin.Url, name: "hook"))
        {
            await named.NextOpenedAsync();
        }

        // The first draw is the offline tunnel's subdomain (as when a slug has the random shape).
        var draws = new Queue<string>([$"hook-{slug}", "calm-fox-1234"]);
        edge.Server.Services.RandomSubdomain = () => { lock (draws) { return draws.Count > 0 ? draws.Dequeue() : "tidy-lynx-9999"; } };
        var (stranger, _, _) = await edge.CreateUserAsync("stranger@example.com");
        await using var random = edge.StartAgent(stranger, _origin.Url);

        Assert.Equal("calm-fox-1234", (await random.NextOpenedAsync()).Subdomain);
        await using var back = edge.StartAgent(owner, _origin.Url, name: "hook");
        Assert.Equal($"hook-{slug}", (await back.NextOpenedAsync()).Subdomain);
    }

    [Fact]
    public async Task NamedTunnel_UsesNameAndSlug_AndKeepsItsUrlAcrossReconnects()
    {
        var (token, _, slug) = await _edge.CreateUserAsync("bob@example.com");
        string firstUrl;
        await using (var agent = _edge.StartAgent(token, _origin.Url, name: "laptop"))
        {
            firstUrl = (await agent.NextOpenedAsync()).PublicUrl;
        }

        Assert.StartsWith($"https://laptop-{slug}.localhost:", firstUrl, StringComparison.Ordinal);
        await using var again = _edge.StartAgent(token, _origin.Url, name: "laptop");
        Assert.Equal(firstUrl, (await again.NextOpenedAsync()).PublicUrl);
    }

    [Fact]
    public async Task SameNameFromSecondClient_GetsAlreadyExists_WaitsAndWinsWhenTheFirstLeaves()
    {
        var (token, _, _) = await _edge.CreateUserAsync("carol@example.com");
        var first = _edge.StartAgent(token, _origin.Url, name: "dev");
        var url = (await first.NextOpenedAsync()).PublicUrl;

        await using var second = _edge.StartAgent(token, _origin.Url, name: "dev");
        var refusal = await second.NextFailureAsync();
        Assert.Equal(ErrorCode.AlreadyExists, refusal.Code);
        Assert.Equal("tunnel 'dev' is already connected from another client", refusal.Message);
        Assert.False(refusal.IsFatal);

        // The first keeps serving while the second waits.
        using var client = _edge.PublicClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(new Uri(url), "/echo"), TestContext.Current.CancellationToken)).StatusCode);

        await first.DisposeAsync();
        Assert.Equal(url, (await second.NextOpenedAsync()).PublicUrl);
    }

    [Fact]
    public async Task Takeover_EvictsTheHolder_WhichStartsRetrying()
    {
        var (token, _, _) = await _edge.CreateUserAsync("dave@example.com");
        await using var first = _edge.StartAgent(token, _origin.Url, name: "web");
        var url = (await first.NextOpenedAsync()).PublicUrl;

        await using var second = _edge.StartAgent(token, _origin.Url, name: "web", takeover: true);
        Assert.Equal(url, (await second.NextOpenedAsync()).PublicUrl);

        var lost = await first.NextFailureAsync();
        Assert.Equal(AgentOutcomeKind.Lost, lost.Kind);
        Assert.Contains("taken over", lost.Message, StringComparison.Ordinal);
        var retry = await first.NextFailureAsync();
        Assert.Equal(ErrorCode.AlreadyExists, retry.Code);
    }

    [Fact]
    public async Task SameNameFromAnotherUser_GetsADifferentUrl()
    {
        var (alice, _, _) = await _edge.CreateUserAsync("erin@example.com");
        var (bob, _, _) = await _edge.CreateUserAsync("erin@other.example");
        await using var a = _edge.StartAgent(alice, _origin.Url, name: "dev");
        await using var b = _edge.StartAgent(bob, _origin.Url, name: "dev");
        var urlA = (await a.NextOpenedAsync()).PublicUrl;
        var urlB = (await b.NextOpenedAsync()).PublicUrl;
        Assert.NotEqual(urlA, urlB);
    }

    [Theory]
    [InlineData("My_App")]
    [InlineData("-dash")]
    [InlineData("way-too-long-name-that-cannot-possibly-fit-into-one-dns-label-at-all")]
    public async Task InvalidName_IsRefusedWithInvalidArgumentAndAnExplanation(string name)
    {
        var (token, _, _) = await _edge.CreateUserAsync("frank@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url, name: name);
        var outcome = await agent.Completion.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(ErrorCode.InvalidArgument, outcome.Code);
        Assert.True(outcome.IsFatal);
        Assert.Contains(name, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidToken_IsRefusedWithPermissionDenied()
    {
        await using var agent = _edge.StartAgent("not-a-real-token", _origin.Url);
        var outcome = await agent.Completion.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(ErrorCode.PermissionDenied, outcome.Code);
        Assert.Equal("invalid token", outcome.Message);
    }

    [Fact]
    public async Task RevokedToken_ClosesTheLiveSession_AndNewConnectionsAreRefused()
    {
        var (token, tokenId, _) = await _edge.CreateUserAsync("grace@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url);
        await agent.NextOpenedAsync();

        using var admin = _edge.AdminClient();
        var revoke = await admin.DeleteAsync($"/admin/tokens/{tokenId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var lost = await agent.NextFailureAsync();
        Assert.Equal(AgentOutcomeKind.Lost, lost.Kind);
        var final = await agent.Completion.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(ErrorCode.PermissionDenied, final.Code);
    }

    [Fact]
    public async Task TokenRevokedInTheStoreDirectly_ClosesTheSessionAtTheNextRecheck()
    {
        await using var edge = await InProcessEdge.StartAsync(o => o with { TokenRecheckInterval = TimeSpan.FromMilliseconds(200) });
        var (token, tokenId, _) = await edge.CreateUserAsync("heidi@example.com");
        await using var agent = edge.StartAgent(token, _origin.Url);
        await agent.NextOpenedAsync();

        Assert.True(await edge.Server.Services.Store.RevokeTokenAsync(tokenId, TestContext.Current.CancellationToken));
        var lost = await agent.NextFailureAsync();
        Assert.Equal(AgentOutcomeKind.Lost, lost.Kind);
        Assert.Equal(ErrorCode.PermissionDenied, (await agent.Completion.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken)).Code);
    }

    [Fact]
    public async Task UnknownSubdomain_Gets502NoActiveTunnel()
    {
        using var client = _edge.PublicClient();
        var response = await client.GetAsync($"https://nobody-here.localhost:{_edge.HttpsPort}/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(HttpForwarder.NoTunnelMessage + "\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AgentOnThePublicHttpsPort_IsToldApartByAlpnAndWorks()
    {
        var (token, _, _) = await _edge.CreateUserAsync("ivan@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url, endpoint: _edge.HttpsEndpoint);
        var opened = await agent.NextOpenedAsync();
        using var client = _edge.PublicClient();
        var response = await client.GetAsync(new Uri(new Uri(opened.PublicUrl), "/echo"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ForwardedHeaders_AreSetByTheEdge_AndHopByHopHeadersAreDropped()
    {
        var (token, _, _) = await _edge.CreateUserAsync("judy@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url);
        var opened = await agent.NextOpenedAsync();
        using var client = _edge.PublicClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(opened.PublicUrl), "/echo"));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");
        request.Headers.TryAddWithoutValidation("Connection", "X-Secret-Hop");
        request.Headers.TryAddWithoutValidation("X-Secret-Hop", "must-not-pass");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
        request.Headers.TryAddWithoutValidation("X-Kept", "yes");
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var headers = OriginServer.ParseJson(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).GetProperty("headers");

        Assert.Equal("127.0.0.1", headers.GetProperty("x-forwarded-for").GetString());
        Assert.Equal("https", headers.GetProperty("x-forwarded-proto").GetString());
        Assert.Equal(new Uri(opened.PublicUrl).Authority, headers.GetProperty("x-forwarded-host").GetString());
        Assert.Equal(new Uri(opened.PublicUrl).Authority, headers.GetProperty("host").GetString());
        Assert.False(headers.TryGetProperty("forwarded", out _));
        Assert.False(headers.TryGetProperty("x-secret-hop", out _));
        Assert.False(headers.TryGetProperty("proxy-authorization", out _));
        Assert.Equal("yes", headers.GetProperty("x-kept").GetString());
    }

    [Fact]
    public async Task ClientTraceContext_IsContinuedByTheEdgeSpan_AndPassedOnToTheOrigin()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        var stopped = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TunnelOperator.Telemetry.TunnelTelemetry.EdgeActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId && activity.OperationName == "edge.forward")
                {
                    stopped.TrySetResult(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var (token, _, _) = await _edge.CreateUserAsync("trace@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url);
        var opened = await agent.NextOpenedAsync();
        using var client = _edge.PublicClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(opened.PublicUrl), "/echo"));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{clientSpan}-01");
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var headers = OriginServer.ParseJson(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).GetProperty("headers");

        // The edge's span is the direct child of the client's span: no hidden hosting span in between.
        var span = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(clientSpan, span.ParentSpanId);
        // The origin sees one traceparent in the same trace.
        var forwarded = headers.GetProperty("traceparent").GetString()!;
        Assert.StartsWith($"00-{traceId}-", forwarded, StringComparison.Ordinal);
        Assert.DoesNotContain(',', forwarded);
    }

    [Fact]
    public async Task PostBody_AndQuery_ReachTheOriginUnchanged()
    {
        var (token, _, _) = await _edge.CreateUserAsync("kate@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url);
        var opened = await agent.NextOpenedAsync();
        using var client = _edge.PublicClient();
        var response = await client.PostAsync(new Uri(new Uri(opened.PublicUrl), "/echo?q=a%20b&x=%2F"), new StringContent("hello, tunnel", Encoding.UTF8), TestContext.Current.CancellationToken);
        var echo = OriginServer.ParseJson(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal("/echo?q=a%20b&x=%2F", echo.GetProperty("target").GetString());
        Assert.Equal("hello, tunnel", echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Http2PublicClient_IsServedOverTheHttp11Tunnel()
    {
        var (token, _, _) = await _edge.CreateUserAsync("leo@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url);
        var opened = await agent.NextOpenedAsync();
        using var client = _edge.PublicClient(HttpVersion.Version20);
        var response = await client.GetAsync(new Uri(new Uri(opened.PublicUrl), "/echo"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpVersion.Version20, response.Version);
        var echo = OriginServer.ParseJson(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("HTTP/1.1", echo.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task OriginDown_Gets502ThatNamesTheOrigin()
    {
        var (token, _, _) = await _edge.CreateUserAsync("mia@example.com");
        var deadOrigin = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var agent = _edge.StartAgent(token, deadOrigin);
        var opened = await agent.NextOpenedAsync();
        using var client = _edge.PublicClient();
        var response = await client.GetAsync(opened.PublicUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("unreachable", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
