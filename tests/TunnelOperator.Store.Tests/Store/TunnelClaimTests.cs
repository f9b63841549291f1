using TunnelOperator.Store.Tests.Support;

namespace TunnelOperator.Store.Tests.Store;

public sealed class TunnelClaimTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [BothBackends]
    public async Task Claim_NewName_CreatesTheSubdomainNameDashSlug(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;

        var claim = await store.ClaimNamedTunnelAsync(alice.Id, "laptop", Ct);

        Assert.True(claim.Ok, claim.Message);
        Assert.Equal((alice.Id, "laptop", $"laptop-{alice.Slug}"), (claim.Value.UserId, claim.Value.Name, claim.Value.Subdomain));
    }

    [Theory]
    [BothBackends]
    public async Task Claim_SameNameAgain_ReusesTheRow(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;

        var first = await store.ClaimNamedTunnelAsync(alice.Id, "laptop", Ct);
        var second = await store.ClaimNamedTunnelAsync(alice.Id, "laptop", Ct);
        var reopened = await (await db.OpenAsync()).ClaimNamedTunnelAsync(alice.Id, "laptop", Ct);

        Assert.Equal(first.Value, second.Value);
        Assert.Equal(first.Value, reopened.Value);
        Assert.Single(await db.QueryAsync("SELECT id FROM tunnels"));
    }

    [Theory]
    [BothBackends]
    public async Task Claim_TwoNamesOfOneUser_AreTwoTunnels(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;

        var laptop = await store.ClaimNamedTunnelAsync(alice.Id, "laptop", Ct);
        var desktop = await store.ClaimNamedTunnelAsync(alice.Id, "desktop", Ct);

        Assert.NotEqual(laptop.Value!.Id, desktop.Value!.Id);
        Assert.Equal($"desktop-{alice.Slug}", desktop.Value.Subdomain);
    }

    [Theory]
    [BothBackends]
    public async Task Claim_SameNameByTwoUsers_GivesEachTheirOwnSubdomain(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;
        var otherAlice = (await store.CreateUserAsync("alice@elsewhere.example", Ct)).Value!;

        var mine = await store.ClaimNamedTunnelAsync(alice.Id, "laptop", Ct);
        var theirs = await store.ClaimNamedTunnelAsync(otherAlice.Id, "laptop", Ct);

        Assert.True(mine.Ok && theirs.Ok);
        Assert.NotEqual(mine.Value.Subdomain, theirs.Value.Subdomain);
        Assert.Equal($"laptop-{otherAlice.Slug}", theirs.Value.Subdomain);
    }

    [Theory]
    [BothBackends]
    public async Task Claim_SameNamesFromManyTasksAtOnce_YieldOneRowPerNameForAll(Backend backend)
    {
        // Several names at once give the race many chances per run: on PostgreSQL a loser's
        // reads can straddle the winner's commit, and must still end with the winner's row.
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;
        string[] names = ["a", "b", "c", "d", "e", "f"];
        using var go = new ManualResetEventSlim();

        var claims = names.SelectMany(name => Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            go.Wait(Ct);
            return store.ClaimNamedTunnelAsync(alice.Id, name, Ct);
        }, Ct))).ToList();
        go.Set();
        var results = await Task.WhenAll(claims);

        Assert.All(results, r => Assert.True(r.Ok, r.Message));
        Assert.All(results.GroupBy(r => r.Value!.Name), g => Assert.Single(g.Select(r => r.Value!.Id).Distinct()));
        Assert.Equal(names.Length, (await db.QueryAsync("SELECT id FROM tunnels")).Count);
    }

    [Theory]
    [BothBackends("", "a tunnel name is required")]
    [BothBackends("Laptop", "use 'laptop' instead")]
    [BothBackends("my_app", "contains '_'")]
    [BothBackends("-x", "starts with '-'")]
    public async Task Claim_InvalidName_IsInvalidArgumentAndWritesNothing(Backend backend, string name, string expected)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;

        var claim = await store.ClaimNamedTunnelAsync(alice.Id, name, Ct);

        Assert.Equal(StoreError.InvalidArgument, claim.Error);
        Assert.Contains(expected, claim.Message, StringComparison.Ordinal);
        Assert.Empty(await db.QueryAsync("SELECT id FROM tunnels"));
    }

    [Theory]
    [BothBackends]
    public async Task Claim_UnknownUser_IsNotFound(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var nobody = Guid.NewGuid();

        var claim = await store.ClaimNamedTunnelAsync(nobody, "laptop", Ct);

        Assert.Equal(StoreError.NotFound, claim.Error);
        Assert.Equal($"no user with id {nobody}", claim.Message);
    }

    [Theory]
    [BothBackends]
    public async Task Claim_NameTooLongForTheUsersSlug_ExplainsTheLabelLimit(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var user = (await store.CreateUserAsync("averyveryverylonglocalpartindeed@example.com", Ct)).Value!;
        Assert.Equal(29, user.Slug.Length);

        var fits = await store.ClaimNamedTunnelAsync(user.Id, new string('a', 33), Ct);
        var tooLong = await store.ClaimNamedTunnelAsync(user.Id, new string('b', 34), Ct);

        Assert.True(fits.Ok, fits.Message);
        Assert.Equal(63, fits.Value.Subdomain.Length);
        Assert.Equal(StoreError.InvalidArgument, tooLong.Error);
        Assert.Contains("64 characters long, but a DNS label holds at most 63", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("use a name of at most 33 characters", tooLong.Message, StringComparison.Ordinal);
    }

    [Theory]
    [BothBackends]
    public async Task Claim_SubdomainHeldByAnotherUsersTunnel_IsConflict(Backend backend)
    {
        // The seed's documented slug rewrite: an admin renames slugs by hand, and a new slug
        // lands on a subdomain another user's tunnel still holds.
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;
        var bob = (await store.CreateUserAsync("bob@example.com", Ct)).Value!;
        var held = (await store.ClaimNamedTunnelAsync(alice.Id, "laptop", Ct)).Value!;
        await db.ExecuteAsync($"UPDATE users SET slug = 'alice-renamed' WHERE id = {db.IdLiteral(alice.Id)}");
        await db.ExecuteAsync($"UPDATE users SET slug = '{alice.Slug}' WHERE id = {db.IdLiteral(bob.Id)}");

        var claim = await store.ClaimNamedTunnelAsync(bob.Id, "laptop", Ct);

        Assert.Equal(StoreError.Conflict, claim.Error);
        Assert.Equal($"subdomain '{held.Subdomain}' is already taken by another tunnel; choose another name", claim.Message);
        Assert.Equal(held, (await store.ClaimNamedTunnelAsync(alice.Id, "laptop", Ct)).Value);
    }
}
