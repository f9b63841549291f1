using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Store.Tenants;
using TunnelOperator.Store.Tests.Support;

namespace TunnelOperator.Store.Tests.Tenants;

public sealed class AgentSyncTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Guid> TenantAsync(TunnelStore store, string name, string hostnames, string? ports = null) =>
        (await store.CreateInviteAsync(name, hostnames, ports, null, Ct)).Value!.Invite.TenantId;

    private static async Task<AgentSyncResult> SyncAsync(TunnelStore store, Guid tenant, Guid agent, string hash, bool privileged, params ServiceClaim[] claims)
    {
        var result = await store.SyncAgentAsync(tenant, agent, hash, claims, privileged, Ct);
        Assert.True(result.Ok, result.Message);
        return result.Value;
    }

    [Theory]
    [BothBackends]
    public async Task Sync_UpsertsAddedAndDeletesRemoved_KeepingHandMadeEntries(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = await TenantAsync(store, "alice", "*.alice.example.eu");
        await store.UpsertHostnameAsync(alice, "manual.alice.example.eu", Ct);

        await SyncAsync(store, alice, Guid.NewGuid(), "h1", false, Claims.Host("a.alice.example.eu"), Claims.Tcp(2222), Claims.Udp(5353));
        await SyncAsync(store, alice, Guid.NewGuid(), "h2", false, Claims.Host("b.alice.example.eu"), Claims.Tcp(3333, "ssh"));

        var entries = await store.ListEntriesAsync(alice, Ct);
        Assert.Equal(
            ["hostname b.alice.example.eu agent", "hostname manual.alice.example.eu manual", "tcp 3333 agent"],
            entries.Select(e => $"{e.Kind.ToString().ToLowerInvariant()} {e.Key} {e.Source.ToString().ToLowerInvariant()}"));
        Assert.Equal("ssh", entries.Single(e => e.Key == "3333").Service);
    }

    [Theory]
    [BothBackends]
    public async Task Sync_AnotherTenantsHostnameOrPort_IsTakenWithAReason(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = await TenantAsync(store, "alice", "*.shared.example.eu");
        var bob = await TenantAsync(store, "bob", "*.shared.example.eu");
        await SyncAsync(store, alice, Guid.NewGuid(), "a", false, Claims.Host("app.shared.example.eu"), Claims.Tcp(2222));

        var result = await SyncAsync(store, bob, Guid.NewGuid(), "b", false, Claims.Host("app.shared.example.eu"), Claims.Tcp(2222), Claims.Udp(2222));

        Assert.Equal([ClaimVerdict.Taken, ClaimVerdict.Taken, ClaimVerdict.Accepted], result.Outcomes.Select(o => o.Verdict));
        Assert.Contains("held by another tenant", result.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Contains("2222/tcp", result.Outcomes[1].Reason, StringComparison.Ordinal);
        Assert.Equal(["app.shared.example.eu", "2222"], (await store.ListEntriesAsync(alice, Ct)).Select(e => e.Key));
    }

    [Theory]
    [BothBackends]
    public async Task Sync_WildcardAndExactNamesOfDifferentTenantsNeverOverlap(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = await TenantAsync(store, "alice", "*.shared.example.eu");
        var bob = await TenantAsync(store, "bob", "*.shared.example.eu,*.deep.shared.example.eu");
        await SyncAsync(store, alice, Guid.NewGuid(), "a", false, Claims.Host("*.shared.example.eu"));

        var result = await SyncAsync(store, bob, Guid.NewGuid(), "b", false, Claims.Host("x.shared.example.eu"), Claims.Host("y.deep.shared.example.eu"));

        Assert.Equal([ClaimVerdict.Taken, ClaimVerdict.Accepted], result.Outcomes.Select(o => o.Verdict));
    }

    [Theory]
    [BothBackends]
    public async Task Sync_OutsideTheInvite_PrivilegedOrDuplicate_IsRefused(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = await TenantAsync(store, "alice", "app.alice.example.eu", "2000-3000");

        var result = await SyncAsync(store, alice, Guid.NewGuid(), "a", false,
            Claims.Host("other.alice.example.eu"), Claims.Tcp(4000), Claims.Tcp(22), Claims.Tcp(2222, "one"), Claims.Tcp(2222, "two"), Claims.Host("bad name"));

        Assert.Equal(
            [ClaimVerdict.NotAllowed, ClaimVerdict.NotAllowed, ClaimVerdict.NotAllowed, ClaimVerdict.Accepted, ClaimVerdict.Duplicate, ClaimVerdict.Invalid],
            result.Outcomes.Select(o => o.Verdict));
        Assert.Contains("--allow-privileged-ports", result.Outcomes[2].Reason, StringComparison.Ordinal);
        Assert.Contains("not allowed by the invite", result.Outcomes[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [BothBackends]
    public async Task Sync_PrivilegedPort_IsAcceptedWhenTheEdgeAllowsIt(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = await TenantAsync(store, "alice", "app.alice.example.eu");

        var result = await SyncAsync(store, alice, Guid.NewGuid(), "a", true, Claims.Udp(53, "dns"));

        Assert.True(Assert.Single(result.Outcomes).Accepted);
    }

    [Theory]
    [BothBackends]
    public async Task NewAgentWithOtherServices_RevokesStaleAgents_ReplicasWithTheSameServicesStay(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var created = (await store.CreateInviteAsync("alice", "*.alice.example.eu", null, null, Ct)).Value!;
        var alice = created.Invite.TenantId;
        Guid first = Guid.NewGuid(), replica = Guid.NewGuid(), changed = Guid.NewGuid();

        Assert.Empty((await SyncAsync(store, alice, first, "h1", false, Claims.Tcp(2222))).RevokedAgents);
        Assert.Empty((await SyncAsync(store, alice, replica, "h1", false, Claims.Tcp(2222))).RevokedAgents);
        var result = await SyncAsync(store, alice, changed, "h2", false, Claims.Tcp(3333));

        Assert.Equal(new[] { first, replica }.Order(), result.RevokedAgents.Order());
        Assert.Equal(TenantAgentStanding.Superseded, await store.CheckTenantAgentAsync(alice, created.Invite.Id, first, Ct));
        Assert.Equal(TenantAgentStanding.Active, await store.CheckTenantAgentAsync(alice, created.Invite.Id, changed, Ct));
        var stale = await SyncAsync(store, alice, first, "h1", false, Claims.Tcp(2222));
        Assert.True(stale.Superseded);
        Assert.Equal(["3333"], (await store.ListEntriesAsync(alice, Ct)).Select(e => e.Key));
    }

    [Theory]
    [BothBackends]
    public async Task UpsertHostname_ByHand_FollowsTheInviteAndOtherTenants_AndDeleteReleasesIt(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = await TenantAsync(store, "alice", "*.alice.example.eu");
        var bob = await TenantAsync(store, "bob", "*.alice.example.eu");

        Assert.True((await store.UpsertHostnameAsync(alice, "New.Alice.Example.EU", Ct)).Value!.Accepted);
        Assert.Equal(ClaimVerdict.Taken, (await store.UpsertHostnameAsync(bob, "new.alice.example.eu", Ct)).Value!.Verdict);
        Assert.Equal(ClaimVerdict.NotAllowed, (await store.UpsertHostnameAsync(alice, "new.bob.example.eu", Ct)).Value!.Verdict);

        Assert.True(await store.DeleteHostnameAsync(alice, "new.alice.example.eu", Ct));
        Assert.False(await store.DeleteHostnameAsync(alice, "new.alice.example.eu", Ct));
        Assert.True((await store.UpsertHostnameAsync(bob, "new.alice.example.eu", Ct)).Value!.Accepted);
    }

    [Theory]
    [BothBackends]
    public async Task ConcurrentSyncsOfTwoTenants_ForOnePort_HaveOneWinner(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        // Several rounds, each a new port and new tenants: the race (a rival committing between
        // one tenant's check and its write) needs a few tries to show up.
        for (var round = 0; round < 6; round++)
        {
            var tenants = new List<Guid>();
            for (var i = 0; i < 4; i++)
            {
                tenants.Add(await TenantAsync(store, $"r{round}t{i}", "*.example.eu"));
            }

            var port = 4444 + round;
            var results = await Task.WhenAll(tenants.Select(t => Task.Run(() => store.SyncAgentAsync(t, Guid.NewGuid(), "h", [Claims.Tcp(port)], false, Ct), Ct)));

            Assert.All(results, r => Assert.True(r.Ok, r.Message));
            var winner = Assert.Single(results, r => r.Value!.Outcomes[0].Accepted);
            Assert.All(results.Where(r => r != winner), r => Assert.Equal(ClaimVerdict.Taken, r.Value!.Outcomes[0].Verdict));
            Assert.Equal(round + 1, (await db.QueryAsync("SELECT * FROM tenant_entries")).Count);
        }
    }

    /// <summary>
    /// Every agent start adds a row. Rows of replicas unseen for a week are pruned; a live
    /// agent's standing checks keep its row; revoked rows stay, so a superseded agent that
    /// returns late is still told so instead of counting as a fresh start.
    /// </summary>
    [Theory]
    [BothBackends]
    public async Task ReplicaRowsUnseenForAWeek_ArePruned_LiveAndRevokedOnesStay(Backend backend)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var db = await StoreHarness.CreateAsync(backend, postgres, time);
        var store = await db.OpenAsync();
        var invite = (await store.CreateInviteAsync("alice", "*.alice.example.eu", null, null, Ct)).Value!.Invite;
        var tenant = invite.TenantId;
        Guid superseded = Guid.NewGuid(), live = Guid.NewGuid(), gone = Guid.NewGuid();
        await SyncAsync(store, tenant, superseded, "h0", false);
        await SyncAsync(store, tenant, live, "h1", false);
        await SyncAsync(store, tenant, gone, "h1", false);

        for (var day = 0; day < 8; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            Assert.Equal(TenantAgentStanding.Active, await store.CheckTenantAgentAsync(tenant, invite.Id, live, Ct));
        }

        var replica = await SyncAsync(store, tenant, Guid.NewGuid(), "h1", false);

        Assert.Empty(replica.RevokedAgents);
        Assert.Equal(TenantAgentStanding.Active, await store.CheckTenantAgentAsync(tenant, invite.Id, live, Ct));
        Assert.Equal(TenantAgentStanding.Superseded, await store.CheckTenantAgentAsync(tenant, invite.Id, gone, Ct)); // its row is gone
        Assert.Equal(TenantAgentStanding.Superseded, await store.CheckTenantAgentAsync(tenant, invite.Id, superseded, Ct));
        var back = await SyncAsync(store, tenant, gone, "h1", false);
        Assert.False(back.Superseded); // a replica of the current configuration, welcome back
        Assert.Empty(back.RevokedAgents);
        Assert.True((await SyncAsync(store, tenant, superseded, "h0", false)).Superseded);
        Assert.Equal(TenantAgentStanding.Active, await store.CheckTenantAgentAsync(tenant, invite.Id, live, Ct));
    }
}
