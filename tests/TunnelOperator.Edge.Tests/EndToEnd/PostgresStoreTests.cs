using System.Net;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.EndToEnd;

/// <summary>
/// The edge on the shared store: a real PostgreSQL server (Debian's package, on loopback) that
/// several edge replicas use at once, as a multi-replica deployment does.
/// </summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private OriginServer _origin = null!;
    private string _databaseUrl = null!;

    public async ValueTask InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        _databaseUrl = await _postgres.CreateDatabaseAsync("edge", TestContext.Current.CancellationToken);
        _origin = await OriginServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _origin.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task NamedTunnel_OnPostgres_ServesTraffic_AndKeepsItsUrlOnAnotherReplica()
    {
        await using var first = await InProcessEdge.StartAsync(databaseUrl: _databaseUrl);
        await using var second = await InProcessEdge.StartAsync(databaseUrl: _databaseUrl);
        var (token, _, slug) = await first.CreateUserAsync("pg@example.com");

        string firstHost;
        await using (var agent = first.StartAgent(token, _origin.Url, name: "shared"))
        {
            var opened = await agent.NextOpenedAsync();
            Assert.Equal($"shared-{slug}", opened.Subdomain);
            firstHost = new Uri(opened.PublicUrl).Host;
            using var client = first.PublicClient();
            var response = await client.GetAsync(new Uri(new Uri(opened.PublicUrl), "/echo"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The token was issued through the first replica; the second authenticates it from the
        // same database and hands out the same persistent subdomain.
        await using var moved = second.StartAgent(token, _origin.Url, name: "shared");
        var again = await moved.NextOpenedAsync();
        Assert.Equal(firstHost, new Uri(again.PublicUrl).Host);
        using var secondClient = second.PublicClient();
        var served = await secondClient.GetAsync(new Uri(new Uri(again.PublicUrl), "/echo"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task TokenRevokedThroughOneReplica_IsRefusedByTheOther()
    {
        await using var first = await InProcessEdge.StartAsync(databaseUrl: _databaseUrl);
        await using var second = await InProcessEdge.StartAsync(databaseUrl: _databaseUrl);
        var (token, tokenId, _) = await first.CreateUserAsync("revoked-pg@example.com");
        using (var admin = first.AdminClient())
        {
            var revoked = await admin.DeleteAsync($"/admin/tokens/{tokenId}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await using var agent = second.StartAgent(token, _origin.Url);
        var outcome = await agent.Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(ErrorCode.PermissionDenied, outcome.Code);
    }

    [Fact]
    public async Task TokenRevokedThroughOneReplica_ClosesALiveSessionOnTheOther()
    {
        await using var first = await InProcessEdge.StartAsync(databaseUrl: _databaseUrl);
        await using var second = await InProcessEdge.StartAsync(o => o with { TokenRecheckInterval = TimeSpan.FromSeconds(1) }, databaseUrl: _databaseUrl);
        var (token, tokenId, _) = await first.CreateUserAsync("live-revoked-pg@example.com");
        await using var agent = second.StartAgent(token, _origin.Url);
        await agent.NextOpenedAsync();

        using (var admin = first.AdminClient())
        {
            var revoked = await admin.DeleteAsync($"/admin/tokens/{tokenId}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        var outcome = await agent.Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(ErrorCode.PermissionDenied, outcome.Code);
    }

    /// <summary>
    /// A port-forward server given both replicas of a hub serves on each, so a client reaches
    /// it through whichever replica it lands on.
    /// </summary>
    [Fact]
    public async Task PortForwardServer_OnTwoReplicas_IsReachedThroughEither()
    {
        await using var first = await InProcessEdge.StartAsync(databaseUrl: _databaseUrl);
        var caKey = Path.Combine(Path.GetDirectoryName(first.CaPath)!, "ca.key");
        await using var second = await InProcessEdge.StartAsync(o => o with { TlsCaCertificatePath = first.CaPath, TlsCaKeyPath = caKey }, databaseUrl: _databaseUrl);
        var (token, _, slug) = await first.CreateUserAsync("forward-pg@example.com");
        var home = Directory.CreateTempSubdirectory("forward-replicas").FullName;
        var env = new Dictionary<string, string?> { ["HOME"] = home, ["TUNNEL_TOKEN"] = token };
        var authToken = TunnelOperator.Agent.Forwards.ForwardToken.Generate();
        var target = new Uri(_origin.Url.ToString());
        await using var server = ProgramProcess.Start(RepoPaths.Tunnelctl, ["port-forward", "server", "--name", "db",
            "--endpoint", $"{first.ControlEndpoint},{second.ControlEndpoint}", "--ca-cert", first.CaPath,
            "--allowed-tcp", "127.0.0.0/8", "--auth-tokens", authToken], env);
        await server.WaitForLineAsync($"registered on {first.ControlEndpoint}");
        await server.WaitForLineAsync($"registered on {second.ControlEndpoint}");

        foreach (var edge in new[] { first, second })
        {
            var local = FreePort.Next();
            await using var client = ProgramProcess.Start(RepoPaths.Tunnelctl, ["port-forward", "client", "--server", $"db.{slug}",
                "--source", $"tcp://127.0.0.1:{target.Port}", "--target", $"127.0.0.1:{local}", "--auth-token", authToken,
                "--endpoint", edge.ControlEndpoint.ToString(), "--ca-cert", first.CaPath], env);
            await client.WaitForLineAsync("tunnelctl port-forward ready");
            using var http = new HttpClient();
            var response = await http.GetAsync($"http://127.0.0.1:{local}/echo", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task DatabaseOutage_RefusesAgentsAsRetryable_AndTheyConnectOnceItIsBack()
    {
        await using var edge = await InProcessEdge.StartAsync(databaseUrl: _databaseUrl);
        var (token, _, _) = await edge.CreateUserAsync("outage-pg@example.com");
        using var admin = edge.AdminClient();

        await _postgres.StopAsync(ct: TestContext.Current.CancellationToken);
        var ready = await admin.GetAsync("/readyz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        await using var agent = edge.StartAgent(token, _origin.Url, name: "later");
        var refused = await agent.NextFailureAsync();
        Assert.Equal(ErrorCode.Unavailable, refused.Code);
        Assert.Contains("store", refused.Message, StringComparison.Ordinal);

        await _postgres.RestartAsync(TestContext.Current.CancellationToken);
        var opened = await agent.NextOpenedAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("later-", opened.Subdomain, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
    }
}
