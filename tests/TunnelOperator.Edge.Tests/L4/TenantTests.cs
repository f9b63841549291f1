using System.Net;
using System.Net.Sockets;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>Tenants on the hub: collisions, reconciliation, supersession, replicas, expiry, revocation, the hub API.</summary>
public sealed class TenantTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostnameAndPortCollisions_AreRefusedToTheSecondTenant_WithTheReason()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var alice = await edge.InviteAsync("alice", "*.shared.test");
        var bob = await edge.InviteAsync("bob", "*.shared.test");
        var services = $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""";
        var hosts = $$"""[{"hostname":"app.shared.test","origin":"{{origin.Origin}}"}]""";
        var (first, _) = await edge.StartSyncedAgentAsync(alice, tls: hosts, tcp: services);
        await using var _a = first;

        var (second, synced) = await edge.StartSyncedAgentAsync(bob, tls: hosts.Replace("app.", "bob.", StringComparison.Ordinal) + "", tcp: services);
        await using var _b = second;
        var (third, both) = await edge.StartSyncedAgentAsync(await edge.InviteAsync("carol", "*.shared.test"), tls: hosts);
        await using var _c = third;

        Assert.True(synced.Services[0].Accepted, synced.Services[0].Reason); // bob.shared.test is free
        Assert.False(synced.Services[1].Accepted);
        Assert.Equal(ErrorCode.AlreadyExists, synced.Services[1].Code);
        Assert.Contains($"port {port}/tcp is held by another tenant", synced.Services[1].Reason, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.AlreadyExists, Assert.Single(both.Services).Code);
        Assert.Contains("hostname app.shared.test is held by another tenant", both.Services[0].Reason, StringComparison.Ordinal);
        Assert.Equal("alice", edge.L4.Routes.FindHost("app.shared.test")!.TenantName);
        Assert.Equal("hi", await PortTests.TcpRoundTripAsync(port, "hi"));
    }

    [Fact]
    public async Task AgentRestart_WithChangedServices_ReconcilesTheHubAndThePorts()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        int before = FreePort.Next(), after = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        Assert.True(InviteToken.TryParse(token, out var invite, out var problem), problem);
        var tenant = invite.TenantId;

        var (first, _) = await edge.StartSyncedAgentAsync(token, tls: $$"""[{"hostname":"old.alice.test","origin":"{{origin.Origin}}"}]""", tcp: $$"""[{"name":"a","origin":"{{origin.Origin}}","listen_port":{{before}}}]""");
        Assert.Equal("x", await PortTests.TcpRoundTripAsync(before, "x"));
        await first.DisposeAsync();
        var (second, synced) = await edge.StartSyncedAgentAsync(token, tls: $$"""[{"hostname":"new.alice.test","origin":"{{origin.Origin}}"}]""", tcp: $$"""[{"name":"b","origin":"{{origin.Origin}}","listen_port":{{after}}}]""");
        await using var _ = second;

        Assert.All(synced.Services, s => Assert.True(s.Accepted, s.Reason));
        Assert.Equal("y", await PortTests.TcpRoundTripAsync(after, "y"));
        await Assert.ThrowsAsync<SocketException>(() => PortTests.TcpRoundTripAsync(before, "z"));
        var entries = await edge.Edge.Server.Services.Store.ListEntriesAsync(tenant, Ct);
        Assert.Equal(["new.alice.test", after.ToString(System.Globalization.CultureInfo.InvariantCulture)], entries.Select(e => e.Key));
        Assert.Null(edge.L4.Routes.FindHost("old.alice.test"));
    }

    [Fact]
    public async Task ANewerAgentWithOtherServices_SupersedesTheRunningOne_WhichStops()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (old, _) = await edge.StartSyncedAgentAsync(token, tcp: $$"""[{"name":"a","origin":"{{origin.Origin}}","listen_port":{{FreePort.Next()}}}]""");
        await using var _o = old;

        var (newer, _) = await edge.StartSyncedAgentAsync(token, tcp: $$"""[{"name":"b","origin":"{{origin.Origin}}","listen_port":{{FreePort.Next()}}}]""");
        await using var _n = newer;

        var stopped = await old.Completion.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(AgentOutcomeKind.Refused, stopped.Kind);
        Assert.Equal(ErrorCode.FailedPrecondition, stopped.Code);
        Assert.Contains("superseded", stopped.Message, StringComparison.Ordinal);
        Assert.False(newer.Completion.IsCompleted);
    }

    [Theory]
    [InlineData(false, ",\"proxy_protocol\":\"v2\"")]
    [InlineData(true, ",\"origin_server_name\":\"internal.example\"")]
    public async Task ANewerAgentThatOnlyTalksToItsOriginDifferently_IsNoReplica_AndSupersedes(bool tls, string difference)
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var services = tls
            ? $$"""[{"hostname":"app.alice.test","origin":"{{origin.Origin}}"}]"""
            : $$"""[{"name":"a","origin":"{{origin.Origin}}","listen_port":{{FreePort.Next()}}}]""";
        var changed = services.Replace("}]", difference + "}]", StringComparison.Ordinal);
        var (old, _) = tls ? await edge.StartSyncedAgentAsync(token, tls: services) : await edge.StartSyncedAgentAsync(token, tcp: services);
        await using var _o = old;

        var (newer, _) = tls ? await edge.StartSyncedAgentAsync(token, tls: changed) : await edge.StartSyncedAgentAsync(token, tcp: changed);
        await using var _n = newer;

        var stopped = await old.Completion.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Contains("superseded", stopped.Message, StringComparison.Ordinal);
        Assert.False(newer.Completion.IsCompleted);
    }

    [Fact]
    public async Task ReplicasWithTheSameServices_ShareThePort_AndOneCarriesOnWithoutTheOther()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var port = FreePort.Next();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var services = $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""";
        var (one, _) = await edge.StartSyncedAgentAsync(token, tcp: services);
        var (two, _) = await edge.StartSyncedAgentAsync(token, tcp: services);
        await using var _t = two;

        var route = edge.L4.Routes.FindPort(ServiceProtocol.Tcp, port)!;
        Assert.Equal(2, route.Sessions.Count);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal($"m{i}", await PortTests.TcpRoundTripAsync(port, $"m{i}"));
        }

        await one.DisposeAsync();
        while (route.Sessions.Count > 1)
        {
            await Task.Delay(20, Ct);
        }

        Assert.Equal("still", await PortTests.TcpRoundTripAsync(port, "still"));
        Assert.False(two.Completion.IsCompleted);
    }

    [Fact]
    public async Task AnInviteThatExpires_EndsTheLiveAgent_AndRefusesItsReturn()
    {
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "*.alice.test", expiresInSeconds: 2);
        var (agent, _) = await edge.StartSyncedAgentAsync(token, tcp: $$"""[{"name":"a","origin":"127.0.0.1:9","listen_port":{{FreePort.Next()}}}]""");
        await using var _a = agent;

        var ended = await agent.Completion.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(ErrorCode.PermissionDenied, ended.Code);

        await using var again = edge.StartAgent(token, tcp: """[{"name":"a","origin":"127.0.0.1:9","listen_port":4999}]""");
        var refused = await again.Completion.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(ErrorCode.PermissionDenied, refused.Code);
        Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubApi_OperatorRevokesAnInvite_TheAgentIsDisconnectedAtOnce()
    {
        await using var edge = await L4Edge.StartAsync();
        var token = await edge.InviteAsync("alice", "*.alice.test");
        var (agent, _) = await edge.StartSyncedAgentAsync(token, tcp: $$"""[{"name":"a","origin":"127.0.0.1:9","listen_port":{{FreePort.Next()}}}]""");
        await using var _a = agent;
        using var wrong = Hub(edge, "not-the-key");
        using var hub = Hub(edge, await File.ReadAllTextAsync(OperatorKey.PathIn(edge.Edge.Server.Services.Options.DataDirectory), Ct));

        var refused = await wrong.ListInvitesAsync(Ct);
        var invites = await hub.ListInvitesAsync(Ct);
        var revoked = await hub.RevokeInviteAsync(Assert.Single(invites.Value!).Id, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.True(revoked.Ok, revoked.Error);
        var ended = await agent.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(ErrorCode.PermissionDenied, ended.Code);
        Assert.Contains("revoked", ended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubApi_TenantsManageTheirOwnHostnames_WithinTheirInvite_AndCanLeave()
    {
        await using var edge = await L4Edge.StartAsync();
        var alice = await edge.InviteAsync("alice", "*.alice.test");
        var bob = await edge.InviteAsync("bob", "*.alice.test");
        using var asAlice = Hub(edge, alice);
        using var asBob = Hub(edge, bob);

        var claimed = await asAlice.SubmitEntryAsync(new SubmitEntryRequest("upsert-hostname", "New.Alice.Test"), Ct);
        var taken = await asBob.SubmitEntryAsync(new SubmitEntryRequest("upsert-hostname", "new.alice.test"), Ct);
        var outside = await asAlice.SubmitEntryAsync(new SubmitEntryRequest("upsert-hostname", "app.bob.test"), Ct);
        var operatorOnly = await asAlice.ListInvitesAsync(Ct);
        var listed = await asAlice.ListEntriesAsync(Ct);

        Assert.True(claimed.Ok, claimed.Error);
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Contains("held by another tenant", taken.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, outside.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, operatorOnly.Status);
        var entry = Assert.Single(listed.Value!);
        Assert.Equal(("hostname", "new.alice.test", "manual"), (entry.Kind, entry.Key, entry.Source));

        Assert.True((await asAlice.LeaveAsync(Ct)).Ok);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asAlice.ListEntriesAsync(Ct)).Status);
        Assert.True((await asBob.SubmitEntryAsync(new SubmitEntryRequest("upsert-hostname", "new.alice.test"), Ct)).Ok);
    }

    [Fact]
    public async Task EdgeNames_CannotBeClaimedByATenant_EvenWhenTheInviteAllowsThem()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync(); // base host: localhost
        var token = await edge.InviteAsync("mallory", "victim.localhost,extra.localhost,app.mallory.test");
        var hosts = $$"""[{"hostname":"victim.localhost","origin":"{{origin.Origin}}"},{"hostname":"app.mallory.test","origin":"{{origin.Origin}}"}]""";
        var (agent, synced) = await edge.StartSyncedAgentAsync(token, tls: hosts);
        await using var _ = agent;

        Assert.False(synced.Services[0].Accepted);
        Assert.Equal(ErrorCode.InvalidArgument, synced.Services[0].Code);
        Assert.Contains("hostname 'victim.localhost' belongs to the edge itself", synced.Services[0].Reason, StringComparison.Ordinal);
        Assert.True(synced.Services[1].Accepted, synced.Services[1].Reason);
        Assert.Null(edge.L4.Routes.FindHost("victim.localhost"));

        using var hub = Hub(edge, token);
        var viaHub = await hub.SubmitEntryAsync(new SubmitEntryRequest("upsert-hostname", "EXTRA.localhost"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, viaHub.Status);
        Assert.Contains("belongs to the edge itself", viaHub.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingAHostname_TakesItOffTheEdge_AndFreesItForOthers()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edge = await L4Edge.StartAsync();
        var alice = await edge.InviteAsync("alice", "*.shared.test");
        var bob = await edge.InviteAsync("bob", "*.shared.test");
        var (agent, synced) = await edge.StartSyncedAgentAsync(alice, tls: $$"""[{"hostname":"app.shared.test","origin":"{{origin.Origin}}"}]""");
        await using var _ = agent;
        Assert.True(synced.Services[0].Accepted, synced.Services[0].Reason);
        Assert.NotNull(edge.L4.Routes.FindHost("app.shared.test"));

        using var asAlice = Hub(edge, alice);
        using var asBob = Hub(edge, bob);
        Assert.Equal(HttpStatusCode.Conflict, (await asBob.SubmitEntryAsync(new SubmitEntryRequest("upsert-hostname", "app.shared.test"), Ct)).Status);
        var deleted = await asAlice.SubmitEntryAsync(new SubmitEntryRequest("delete-hostname", "App.Shared.Test"), Ct);

        Assert.True(deleted.Ok, deleted.Error);
        Assert.Null(edge.L4.Routes.FindHost("app.shared.test"));
        Assert.True((await asBob.SubmitEntryAsync(new SubmitEntryRequest("upsert-hostname", "app.shared.test"), Ct)).Ok);
        Assert.Equal(HttpStatusCode.NotFound, (await asAlice.SubmitEntryAsync(new SubmitEntryRequest("delete-hostname", "app.shared.test"), Ct)).Status);
    }

    private static HubClient Hub(L4Edge edge, string bearer) => new(edge.Edge.ControlEndpoint, bearer, edge.Edge.CaPath);
}
