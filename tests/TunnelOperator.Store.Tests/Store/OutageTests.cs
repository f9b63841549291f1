using TunnelOperator.Store.Tests.Support;
using TunnelOperator.Testing;

namespace TunnelOperator.Store.Tests.Store;

/// <summary>
/// The database going away under a running store, on a PostgreSQL server of this class's own
/// (the tests stop it). Every test leaves the server running.
/// </summary>
public sealed class OutageTests(PrivatePostgresFixture postgres) : IClassFixture<PrivatePostgresFixture>, IDisposable
{
    // Trust authentication ignores it, but it travels in the URL like a real one, so messages
    // can be checked for leaking it.
    private const string Password = "outage-test-secret-pw";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"tunnelop-store-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task ServerDown_WritesReportUnavailableReadsThrowAndRestartLosesNothing()
    {
        var (server, database, store) = await OpenAsync();
        await using var _ = store;
        var alice = (await store.CreateUserAsync("alice@example.com", Ct)).Value!;
        var token = (await store.IssueTokenAsync("alice@example.com", "laptop", Ct)).Value!;
        var tunnel = (await store.ClaimNamedTunnelAsync(alice.Id, "web", Ct)).Value!;
        var tokensBefore = await store.ListTokensAsync(Ct);

        await server.StopAsync(PostgresShutdown.Immediate, Ct);
        try
        {
            Assert.False(await store.CanConnectAsync(Ct));

            StoreResult<object>[] writes =
            [
                Erase(await store.CreateUserAsync("bob@example.com", Ct)),
                Erase(await store.IssueTokenAsync("alice@example.com", "phone", Ct)),
                Erase(await store.ClaimNamedTunnelAsync(alice.Id, "api", Ct)),
                Erase(await store.ClaimNamedTunnelAsync(alice.Id, "web", Ct)),
            ];
            Assert.All(writes, w =>
            {
                Assert.Equal(StoreError.Unavailable, w.Error);
                AssertExplainsOutage(w.Message!, server, database);
            });

            Func<Task>[] reads =
            [
                () => store.AuthenticateAsync(token.Plaintext, Ct),
                () => store.TokenExistsAsync(token.Id, Ct),
                () => store.FindUserByEmailAsync("alice@example.com", Ct),
                () => store.ListUsersAsync(Ct),
                () => store.ListTokensAsync(Ct),
                () => store.RevokeTokenAsync(token.Id, Ct),
            ];
            foreach (var read in reads)
            {
                AssertExplainsOutage((await Assert.ThrowsAsync<StoreUnavailableException>(read)).Message, server, database);
            }
        }
        finally
        {
            await server.RestartAsync(Ct);
        }

        Assert.True(await store.CanConnectAsync(Ct));
        Assert.Equal(new AuthenticatedToken(alice, token.Id), await store.AuthenticateAsync(token.Plaintext, Ct));
        Assert.Equal(tunnel, (await store.ClaimNamedTunnelAsync(alice.Id, "web", Ct)).Value);
        Assert.Equal([alice], await store.ListUsersAsync(Ct));
        Assert.Equal(tokensBefore.Select(t => t with { LastUsedAt = null }), (await store.ListTokensAsync(Ct)).Select(t => t with { LastUsedAt = null }));
        Assert.True((await store.CreateUserAsync("bob@example.com", Ct)).Ok);
    }

    [Fact]
    public async Task ServerRestarted_WhileTheStoreWasIdle_FirstCallsSucceedOnFreshConnections()
    {
        var (server, _, store) = await OpenAsync();
        await using var __ = store;
        await store.CreateUserAsync("alice@example.com", Ct);
        var token = (await store.IssueTokenAsync("alice@example.com", "laptop", Ct)).Value!;
        // Several connections sit idle in the pool; the restart kills every one of them.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ListUsersAsync(Ct), Ct)));

        await server.RestartAsync(Ct);

        var checks = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.AuthenticateAsync(token.Plaintext, Ct), Ct)));
        Assert.All(checks, Assert.NotNull);
        Assert.True((await store.CreateUserAsync("bob@example.com", Ct)).Ok);
    }

    [Fact]
    public async Task Open_WhileTheServerIsDown_ThrowsStoreUnavailableNamingTheDatabase()
    {
        var server = await postgres.ServerAsync();
        var database = $"t_{Guid.NewGuid():N}";
        await server.CreateDatabaseAsync(database, Ct);
        var options = Options(server.ConnectionUrl(database, Password));

        await server.StopAsync(PostgresShutdown.Fast, Ct);
        StoreUnavailableException e;
        try
        {
            e = await Assert.ThrowsAsync<StoreUnavailableException>(() => TunnelStore.OpenAsync(options, Ct));
        }
        finally
        {
            await server.RestartAsync(Ct);
        }

        AssertExplainsOutage(e.Message, server, database);
        await using var store = await TunnelStore.OpenAsync(options, Ct);
        Assert.True(await store.CanConnectAsync(Ct));
    }

    [Fact]
    public async Task Open_SqliteFileThatIsNotADatabase_ThrowsStoreUnavailableSayingWhatToCheck()
    {
        var options = Options(null);
        Directory.CreateDirectory(options.DataDirectory);
        var path = Path.Combine(options.DataDirectory, "tunneld.db");
        await File.WriteAllTextAsync(path, new string('x', 4096), Ct);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => TunnelStore.OpenAsync(options, Ct));

        Assert.Contains($"cannot use the SQLite database {path}", e.Message, StringComparison.Ordinal);
        Assert.Contains("check that the data directory exists, is writable", e.Message, StringComparison.Ordinal);
    }

    private async Task<(PostgresServer Server, string Database, TunnelStore Store)> OpenAsync()
    {
        var server = await postgres.ServerAsync();
        var database = $"t_{Guid.NewGuid():N}";
        await server.CreateDatabaseAsync(database, Ct);
        return (server, database, await TunnelStore.OpenAsync(Options(server.ConnectionUrl(database, Password)), Ct));
    }

    private StoreOptions Options(string? url) => new() { DataDirectory = _dataDirectory, DatabaseUrl = url };

    private static void AssertExplainsOutage(string message, PostgresServer server, string database)
    {
        Assert.StartsWith("the store is unavailable: ", message, StringComparison.Ordinal);
        Assert.Contains($"PostgreSQL database '{database}' on {PostgresServer.Host}:{server.Port} as user 'postgres'", message, StringComparison.Ordinal);
        Assert.Contains("check that the server is running", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, message, StringComparison.Ordinal);
    }

    private static StoreResult<object> Erase<T>(StoreResult<T> result) =>
        result.Ok ? StoreResult<object>.Success(result.Value!) : StoreResult<object>.Failure(result.Error, result.Message);
}
