using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Store.Tests.Support;

namespace TunnelOperator.Store.Tests.Store;

public sealed class UserTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [BothBackends]
    public async Task CreateUser_ValidEmail_StoresItTrimmedLowercasedWithASlugAndUtcTime(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres, new FakeTimeProvider(Start));
        var store = await db.OpenAsync();

        var created = await store.CreateUserAsync("  Alice.Smith+x@Example.COM ", Ct);

        Assert.True(created.Ok, created.Message);
        Assert.Equal("alice.smith+x@example.com", created.Value.Email);
        Assert.Matches("^alicesmithx-[0-9a-f]{4}$", created.Value.Slug);
        Assert.Equal(Start, created.Value.CreatedAt);
        Assert.Equal(TimeSpan.Zero, created.Value.CreatedAt.Offset);
        Assert.Equal(created.Value, await store.FindUserByEmailAsync("ALICE.SMITH+X@example.com", Ct));
        Assert.Equal([created.Value], await store.ListUsersAsync(Ct));
    }

    [Theory]
    [BothBackends("alice@example.com")]
    [BothBackends("ALICE@EXAMPLE.COM")]
    [BothBackends(" alice@example.com\t")]
    public async Task CreateUser_SameEmailAgainInAnyCase_IsAlreadyExists(Backend backend, string again)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        Assert.True((await store.CreateUserAsync("alice@example.com", Ct)).Ok);

        var second = await store.CreateUserAsync(again, Ct);

        Assert.False(second.Ok);
        Assert.Equal(StoreError.AlreadyExists, second.Error);
        Assert.Equal("a user with email alice@example.com already exists", second.Message);
        Assert.Single(await store.ListUsersAsync(Ct));
    }

    [Theory]
    [BothBackends("", "an email address is required")]
    [BothBackends("alice", "it has no '@'")]
    [BothBackends("alice@localhost", "has no dot")]
    [BothBackends("a b@example.com", "contains a space")]
    public async Task CreateUser_MalformedEmail_IsInvalidArgumentAndWritesNothing(Backend backend, string email, string expected)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        var result = await store.CreateUserAsync(email, Ct);

        Assert.Equal(StoreError.InvalidArgument, result.Error);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListUsersAsync(Ct));
    }

    [Theory]
    [BothBackends("o'brien@example.ie", "obrien")]
    [BothBackends("___@example.com", "user")]
    [BothBackends("averyveryverylonglocalpartindeed@example.com", "averyveryverylonglocalpa")]
    public async Task CreateUser_OddLocalPart_GetsASlugThatFitsADnsLabel(Backend backend, string email, string expectedBase)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        var slug = (await store.CreateUserAsync(email, Ct)).Value!.Slug;

        Assert.Matches($"^{expectedBase}-[0-9a-f]{{4}}$", slug);
        Assert.True(TunnelNames.IsDnsLabel(slug));
    }

    [Theory]
    [BothBackends]
    public async Task CreateUser_ManyUsersWithOneLocalPart_GetDistinctSlugs(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        var slugs = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            slugs.Add((await store.CreateUserAsync($"alice@d{i}.example.com", Ct)).Value!.Slug);
        }

        Assert.Equal(slugs.Count, slugs.Distinct().Count());
        Assert.All(slugs, s => Assert.StartsWith("alice-", s, StringComparison.Ordinal));
    }

    [Theory]
    [BothBackends]
    public async Task CreateUser_SlugAlreadyTaken_DrawsAnotherSuffix(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var suffixes = new Queue<string>(["beef", "beef", "beef", "cafe"]);
        store.SlugSuffixes = suffixes.Dequeue;

        var first = await store.CreateUserAsync("alice@one.example", Ct);
        var second = await store.CreateUserAsync("alice@two.example", Ct);

        Assert.Equal("alice-beef", first.Value!.Slug);
        Assert.Equal("alice-cafe", second.Value!.Slug);
        Assert.Empty(suffixes);
    }

    [Theory]
    [BothBackends]
    public async Task CreateUser_NoFreeSlugAfterManyDraws_IsConflictAndWritesNothing(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        store.SlugSuffixes = () => "beef";
        Assert.True((await store.CreateUserAsync("alice@one.example", Ct)).Ok);

        var second = await store.CreateUserAsync("alice@two.example", Ct);

        Assert.Equal(StoreError.Conflict, second.Error);
        Assert.Contains("could not find a free slug for 'alice'", second.Message, StringComparison.Ordinal);
        Assert.Single(await store.ListUsersAsync(Ct));
    }

    [Theory]
    [BothBackends]
    public async Task CreateUser_SameEmailFromManyTasksAtOnce_CreatesOneUser(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.CreateUserAsync("race@example.com", Ct), Ct)));

        Assert.Single(results, r => r.Ok);
        Assert.All(results.Where(r => !r.Ok), r => Assert.Equal(StoreError.AlreadyExists, r.Error));
        Assert.Single(await db.QueryAsync("SELECT id FROM users"));
    }

    [Theory]
    [BothBackends("nobody@example.com")]
    [BothBackends("not an email")]
    [BothBackends("")]
    public async Task FindUserByEmail_UnknownOrMalformed_ReturnsNull(Backend backend, string email)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await store.CreateUserAsync("alice@example.com", Ct);

        Assert.Null(await store.FindUserByEmailAsync(email, Ct));
    }

    [Theory]
    [BothBackends]
    public async Task ListUsers_ReturnsOldestFirst(Backend backend)
    {
        var time = new FakeTimeProvider(Start);
        await using var db = await StoreHarness.CreateAsync(backend, postgres, time);
        var store = await db.OpenAsync();
        foreach (var email in new[] { "zed@example.com", "amy@example.com", "kim@example.com" })
        {
            await store.CreateUserAsync(email, Ct);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var users = await store.ListUsersAsync(Ct);

        Assert.Equal(["zed@example.com", "amy@example.com", "kim@example.com"], users.Select(u => u.Email));
        Assert.Equal([Start, Start.AddSeconds(1), Start.AddSeconds(2)], users.Select(u => u.CreatedAt));
    }
}
