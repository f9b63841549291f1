using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Store.Tests.Support;

namespace TunnelOperator.Store.Tests.Store;

public sealed class TokenTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [BothBackends]
    public async Task IssueToken_ExistingUser_ReturnsA52CharacterBase32PlaintextAndTheUser(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var user = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;

        var issued = await store.IssueTokenAsync("Alice@Example.com", "  laptop ", Ct);

        Assert.True(issued.Ok, issued.Message);
        Assert.Matches("^[a-z2-7]{52}$", issued.Value.Plaintext);
        Assert.Equal("laptop", issued.Value.Name);
        Assert.Equal(user, issued.Value.User);
        Assert.DoesNotContain(issued.Value.Plaintext, issued.Value.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [BothBackends]
    public async Task IssueToken_StoresOnlyTheSha256OfThePlaintext(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await store.CreateUserAsync("alice@example.com", Ct);

        var plaintext = (await store.IssueTokenAsync("alice@example.com", "laptop", Ct)).Value!.Plaintext;

        var hash = (byte[])Assert.Single(await db.QueryAsync("SELECT token_hash FROM api_tokens"))[0]!;
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(plaintext)), hash);
        foreach (var table in new[] { "users", "api_tokens", "tunnels", "schema_migrations" })
        {
            foreach (var value in (await db.QueryAsync($"SELECT * FROM {table}")).SelectMany(row => row))
            {
                var text = value is byte[] bytes ? Convert.ToHexString(bytes) + Encoding.Latin1.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                Assert.DoesNotContain(plaintext, text ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            }
        }

        if (backend == Backend.Sqlite)
        {
            // Not even in free pages or the write-ahead log.
            foreach (var file in Directory.GetFiles(db.DataDirectory))
            {
                Assert.DoesNotContain(plaintext, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, Ct)), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [BothBackends]
    public async Task IssueToken_UnknownEmail_IsNotFoundSayingHowToCreateTheUser(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        var issued = await store.IssueTokenAsync("Nobody@Example.com", "laptop", Ct);

        Assert.Equal(StoreError.NotFound, issued.Error);
        Assert.Equal("no user with email nobody@example.com; create it with 'tunneld admin create-user --email nobody@example.com'", issued.Message);
    }

    [Theory]
    [BothBackends("alice@example.com", "", "a token name is required")]
    [BothBackends("alice@example.com", "bad\u0001name", "U+0001")]
    [BothBackends("alice@example.com", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "use at most 64")]
    [BothBackends("alice", "laptop", "it has no '@'")]
    public async Task IssueToken_BadInput_IsInvalidArgumentAndWritesNothing(Backend backend, string email, string name, string expected)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await store.CreateUserAsync("alice@example.com", Ct);

        var issued = await store.IssueTokenAsync(email, name, Ct);

        Assert.Equal(StoreError.InvalidArgument, issued.Error);
        Assert.Contains(expected, issued.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListTokensAsync(Ct));
    }

    [Theory]
    [BothBackends]
    public async Task Authenticate_IssuedToken_ReturnsItsUserAndRecordsEachUse(Backend backend)
    {
        var time = new FakeTimeProvider(Start);
        await using var db = await StoreHarness.CreateAsync(backend, postgres, time);
        var store = await db.OpenAsync();
        var user = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;
        var issued = (await store.IssueTokenAsync("alice@example.com", "laptop", Ct)).Value!;
        Assert.Null(Assert.Single(await store.ListTokensAsync(Ct)).LastUsedAt);

        time.Advance(TimeSpan.FromMinutes(5));
        var first = await store.AuthenticateAsync(issued.Plaintext, Ct);
        var usedFirst = Assert.Single(await store.ListTokensAsync(Ct)).LastUsedAt;
        time.Advance(TimeSpan.FromHours(1));
        var second = await store.AuthenticateAsync(issued.Plaintext + "\n", Ct);
        var usedSecond = Assert.Single(await store.ListTokensAsync(Ct)).LastUsedAt;

        Assert.Equal(new AuthenticatedToken(user, issued.Id), first);
        Assert.Equal(first, second);
        Assert.Equal(Start.AddMinutes(5), usedFirst);
        Assert.Equal(Start.AddMinutes(65), usedSecond);
    }

    [Theory]
    [BothBackends("")]
    [BothBackends("not-a-token")]
    [BothBackends("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [BothBackends("11111111111111111111111111111111111111111111111111111")]
    public async Task Authenticate_UnknownOrMalformedToken_ReturnsNull(Backend backend, string token)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await store.CreateUserAsync("alice@example.com", Ct);
        await store.IssueTokenAsync("alice@example.com", "laptop", Ct);

        Assert.Null(await store.AuthenticateAsync(token, Ct));
    }

    [Theory]
    [BothBackends]
    public async Task Authenticate_TokenInOtherCase_ReturnsNull(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await store.CreateUserAsync("alice@example.com", Ct);
        var plaintext = (await store.IssueTokenAsync("alice@example.com", "laptop", Ct)).Value!.Plaintext;

        Assert.Null(await store.AuthenticateAsync(plaintext.ToUpperInvariant(), Ct));
    }

    [Theory]
    [BothBackends]
    public async Task RevokeToken_DeletesItSoAuthenticationAndExistenceChecksFail(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await store.CreateUserAsync("alice@example.com", Ct);
        var revoked = (await store.IssueTokenAsync("alice@example.com", "laptop", Ct)).Value!;
        var kept = (await store.IssueTokenAsync("alice@example.com", "desktop", Ct)).Value!;
        Assert.True(await store.TokenExistsAsync(revoked.Id, Ct));

        Assert.True(await store.RevokeTokenAsync(revoked.Id, Ct));

        Assert.Null(await store.AuthenticateAsync(revoked.Plaintext, Ct));
        Assert.False(await store.TokenExistsAsync(revoked.Id, Ct));
        Assert.False(await store.RevokeTokenAsync(revoked.Id, Ct));
        Assert.NotNull(await store.AuthenticateAsync(kept.Plaintext, Ct));
        Assert.Equal([kept.Id], (await store.ListTokensAsync(Ct)).Select(t => t.Id));
    }

    [Theory]
    [BothBackends]
    public async Task RevokeToken_UnknownId_ReturnsFalse(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();

        Assert.False(await store.RevokeTokenAsync(Guid.NewGuid(), Ct));
        Assert.False(await store.TokenExistsAsync(Guid.NewGuid(), Ct));
    }

    [Theory]
    [BothBackends]
    public async Task ListTokens_ShowsEachTokenWithItsUserOldestFirstAndNeverThePlaintext(Backend backend)
    {
        var time = new FakeTimeProvider(Start);
        await using var db = await StoreHarness.CreateAsync(backend, postgres, time);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;
        var bob = (await store.CreateUserAsync("bob@example.com", Ct)).Value!;
        var issued = new List<IssuedToken>();
        foreach (var (email, name) in new[] { ("bob@example.com", "ci"), ("alice@example.com", "laptop"), ("alice@example.com", "phone") })
        {
            issued.Add((await store.IssueTokenAsync(email, name, Ct)).Value!);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var tokens = await store.ListTokensAsync(Ct);

        Assert.Equal(
            [
                new TokenRecord(issued[0].Id, bob.Id, "bob@example.com", "ci", Start, null),
                new TokenRecord(issued[1].Id, alice.Id, "alice@example.com", "laptop", Start.AddSeconds(1), null),
                new TokenRecord(issued[2].Id, alice.Id, "alice@example.com", "phone", Start.AddSeconds(2), null),
            ],
            tokens);
        var shown = string.Join('\n', tokens);
        Assert.All(issued, t => Assert.DoesNotContain(t.Plaintext, shown, StringComparison.Ordinal));
    }

    [Theory]
    [BothBackends]
    public async Task DeletingAUser_TakesItsTokensAndTunnelsWithIt(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;
        await store.CreateUserAsync("bob@example.com", Ct);
        var token = (await store.IssueTokenAsync("alice@example.com", "laptop", Ct)).Value!;
        await store.IssueTokenAsync("bob@example.com", "laptop", Ct);
        await store.ClaimNamedTunnelAsync(alice.Id, "web", Ct);

        await db.ExecuteAsync($"DELETE FROM users WHERE id = {db.IdLiteral(alice.Id)}");

        Assert.Null(await store.AuthenticateAsync(token.Plaintext, Ct));
        Assert.Equal(["bob@example.com"], (await store.ListTokensAsync(Ct)).Select(t => t.UserEmail));
        Assert.Empty(await db.QueryAsync("SELECT id FROM tunnels"));
    }
}
