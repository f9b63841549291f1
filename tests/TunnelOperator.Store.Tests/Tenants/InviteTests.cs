using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Store.Tenants;
using TunnelOperator.Store.Tests.Support;

namespace TunnelOperator.Store.Tests.Tenants;

public sealed class InviteTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [BothBackends]
    public async Task CreateInvite_StoresOnlyTheSha256OfTheSecret_AndAuthenticatesWithIt(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        var created = await store.CreateInviteAsync("alice", "app.alice.example.eu, *.alice.example.eu", "2222,5353", null, Ct);

        Assert.True(created.Ok, created.Message);
        var invite = created.Value.Invite;
        Assert.Equal(["app.alice.example.eu", "*.alice.example.eu"], invite.AllowedHostnames);
        Assert.Equal("2222,5353", invite.AllowedPorts);
        var stored = (byte[])Assert.Single(await db.QueryAsync("SELECT secret_hash FROM invites"))[0]!;
        Assert.Equal(SHA256.HashData(created.Value.Secret), stored);
        var authenticated = await store.AuthenticateInviteAsync(invite.TenantId, invite.Id, created.Value.Secret, Ct);
        Assert.True(authenticated.Ok, authenticated.Message);
        Assert.Equal("alice", authenticated.Value.Tenant.Name);
    }

    [Theory]
    [BothBackends]
    public async Task Authenticate_WrongSecretOrOtherTenant_IsRefusedWithTheSameWords(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateInviteAsync("alice", "*.alice.example.eu", null, null, Ct)).Value!;
        var bob = (await store.CreateInviteAsync("bob", "*.bob.example.eu", null, null, Ct)).Value!;

        var wrongSecret = await store.AuthenticateInviteAsync(alice.Invite.TenantId, alice.Invite.Id, RandomNumberGenerator.GetBytes(32), Ct);
        var crossed = await store.AuthenticateInviteAsync(bob.Invite.TenantId, alice.Invite.Id, alice.Secret, Ct);

        Assert.False(wrongSecret.Ok);
        Assert.False(crossed.Ok);
        Assert.Equal(wrongSecret.Message, crossed.Message);
    }

    [Theory]
    [BothBackends]
    public async Task Invite_ExpiresAtItsTime(Backend backend)
    {
        var time = new FakeTimeProvider(Start);
        await using var db = await StoreHarness.CreateAsync(backend, postgres, time);
        var store = await db.OpenAsync();
        var created = (await store.CreateInviteAsync("alice", "*.alice.example.eu", null, Start.AddHours(48), Ct)).Value!;
        var invite = created.Invite;

        time.Advance(TimeSpan.FromHours(47));
        Assert.True((await store.AuthenticateInviteAsync(invite.TenantId, invite.Id, created.Secret, Ct)).Ok);
        Assert.Equal(TenantAgentStanding.Active, await store.CheckTenantAgentAsync(invite.TenantId, invite.Id, null, Ct));

        time.Advance(TimeSpan.FromHours(1));
        var expired = await store.AuthenticateInviteAsync(invite.TenantId, invite.Id, created.Secret, Ct);
        Assert.False(expired.Ok);
        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
        Assert.Equal(TenantAgentStanding.InviteInvalid, await store.CheckTenantAgentAsync(invite.TenantId, invite.Id, null, Ct));
    }

    [Theory]
    [BothBackends]
    public async Task RevokeInvite_RemovesTheTenantWithEverythingItHeld(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var created = (await store.CreateInviteAsync("alice", "*.alice.example.eu", null, null, Ct)).Value!;
        var tenant = created.Invite.TenantId;
        await store.SyncAgentAsync(tenant, Guid.NewGuid(), "h1", [Claims.Host("app.alice.example.eu"), Claims.Tcp(2222)], false, Ct);

        Assert.Equal(tenant, await store.RevokeInviteAsync(created.Invite.Id, Ct));

        Assert.Null(await store.RevokeInviteAsync(created.Invite.Id, Ct));
        Assert.False((await store.AuthenticateInviteAsync(tenant, created.Invite.Id, created.Secret, Ct)).Ok);
        Assert.Equal(TenantAgentStanding.TenantGone, await store.CheckTenantAgentAsync(tenant, created.Invite.Id, null, Ct));
        foreach (var table in new[] { "tenants", "invites", "tenant_entries", "tenant_agents" })
        {
            Assert.Empty(await db.QueryAsync($"SELECT * FROM {table}"));
        }
    }

    [Theory]
    [BothBackends("", "*.alice.example.eu", null, "tenant name")]
    [BothBackends("alice", "alice", null, "two labels")]
    [BothBackends("alice", "*.alice.example.eu", "22-", "port range")]
    public async Task CreateInvite_BadInput_IsRefusedWithAReason(Backend backend, string name, string hostnames, string? ports, string reason)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        var created = await store.CreateInviteAsync(name, hostnames, ports, null, Ct);

        Assert.False(created.Ok);
        Assert.Equal(StoreError.InvalidArgument, created.Error);
        Assert.Contains(reason, created.Message, StringComparison.Ordinal);
    }

    [Theory]
    [BothBackends]
    public async Task CreateInvite_TakenName_IsAlreadyExists(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await store.CreateInviteAsync("alice", "*.alice.example.eu", null, null, Ct);

        var again = await store.CreateInviteAsync("alice", "*.other.example.eu", null, null, Ct);

        Assert.Equal(StoreError.AlreadyExists, again.Error);
        Assert.Single(await store.ListInvitesAsync(Ct));
    }

    [Theory]
    [BothBackends]
    public async Task Edges_AreRecordedOnce_MostRecentFirst(Backend backend)
    {
        var time = new FakeTimeProvider(Start);
        await using var db = await StoreHarness.CreateAsync(backend, postgres, time);
        var store = await db.OpenAsync();

        await store.RecordEdgeAsync("https://a.example.eu:7777", Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.RecordEdgeAsync("https://b.example.eu:7777", Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.RecordEdgeAsync("https://a.example.eu:7777", Ct);

        Assert.Equal(["https://a.example.eu:7777", "https://b.example.eu:7777"], await store.ListEdgeUrlsAsync(Ct));
    }
}

/// <summary>Builders for declared services.</summary>
internal static class Claims
{
    public static ServiceClaim Host(string hostname, string? service = null) => new(service ?? hostname, EntryKind.Hostname, hostname, 0);

    public static ServiceClaim Tcp(int port, string? service = null) => new(service ?? $"tcp-{port}", EntryKind.Tcp, string.Empty, port);

    public static ServiceClaim Udp(int port, string? service = null) => new(service ?? $"udp-{port}", EntryKind.Udp, string.Empty, port);
}
