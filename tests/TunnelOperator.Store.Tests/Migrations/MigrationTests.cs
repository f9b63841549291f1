using System.Globalization;
using TunnelOperator.Store.Migrations;
using TunnelOperator.Store.Tests.Support;

namespace TunnelOperator.Store.Tests.Migrations;

public sealed class MigrationTests(PostgresFixture postgres)
{
    private const string Recorded = "SELECT version, name, applied_at FROM schema_migrations ORDER BY version";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [BothBackends]
    public async Task Open_FreshDatabase_AppliesEveryMigrationAndRecordsIt(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);

        await db.OpenAsync();

        var rows = await db.QueryAsync(Recorded);
        Assert.Equal(
            MigrationCatalog.All.Select(m => $"{m.Version} {m.Name}"),
            rows.Select(r => $"{Convert.ToInt32(r[0], CultureInfo.InvariantCulture)} {r[1]}"));
        Assert.All(rows, r => Assert.NotNull(r[2]));
    }

    [Theory]
    [BothBackends]
    public async Task Open_AgainAndAgain_AppliesNothingMoreAndKeepsTheData(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var first = await db.OpenAsync();
        var user = (await first.CreateUserAsync("alice@example.com", Ct)).Value!;
        var before = await db.QueryAsync(Recorded);
        await first.DisposeAsync();

        await (await db.OpenAsync()).DisposeAsync();
        var third = await db.OpenAsync();

        Assert.Equal(Flatten(before), Flatten(await db.QueryAsync(Recorded)));
        Assert.Equal(user, await third.FindUserByEmailAsync("alice@example.com", Ct));
    }

    [Theory]
    [BothBackends]
    public async Task Open_ManyInstancesAtOnce_MigrateOnceAndAllStart(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(db.OpenAsync, Ct)));

        Assert.Equal(MigrationCatalog.All.Count, (await db.QueryAsync(Recorded)).Count);
        Assert.All(await Task.WhenAll(stores.Select(s => s.ListUsersAsync(Ct))), Assert.Empty);
    }

    [Theory]
    [BothBackends]
    public async Task Open_DatabaseMigratedByANewerBuild_IsRefusedWithAClearMessage(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        await (await db.OpenAsync()).DisposeAsync();
        await db.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', '2030-01-01 00:00:00+00')");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(db.OpenAsync);

        Assert.Contains("schema migration 9999 ('from_the_future')", e.Message, StringComparison.Ordinal);
        Assert.Contains("a newer version of tunneld", e.Message, StringComparison.Ordinal);
        Assert.Contains(backend == Backend.Sqlite ? "SQLite database" : "PostgreSQL database", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [BothBackends]
    public async Task Open_DatabaseWhoseMigrationHasAnotherName_IsRefused(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        await (await db.OpenAsync()).DisposeAsync();
        await db.ExecuteAsync("UPDATE schema_migrations SET name = 'someone_elses' WHERE version = 1");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(db.OpenAsync);

        Assert.Contains("records schema migration 1 as 'someone_elses'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'initial'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [BothBackends]
    public async Task Open_CreatesTheDataDirectory(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        Assert.False(Directory.Exists(db.DataDirectory));

        await db.OpenAsync();

        Assert.True(Directory.Exists(db.DataDirectory));
        Assert.Equal(backend == Backend.Sqlite, File.Exists(db.SqlitePath));
    }

    [Fact]
    public async Task Open_Sqlite_UsesWriteAheadLogging()
    {
        await using var db = await StoreHarness.CreateAsync(Backend.Sqlite, postgres);
        await db.OpenAsync();

        var mode = Assert.Single(await db.QueryAsync("PRAGMA journal_mode"))[0];

        Assert.Equal("wal", mode);
    }

    private static string Flatten(List<object?[]> rows) =>
        string.Join('\n', rows.Select(r => string.Join('|', r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))));
}
