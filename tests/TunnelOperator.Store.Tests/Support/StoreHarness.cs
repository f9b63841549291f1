using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TunnelOperator.Store.Database;

namespace TunnelOperator.Store.Tests.Support;

/// <summary>
/// One test's database: a temporary data directory for SQLite, or a fresh database on the shared
/// PostgreSQL server. Opens stores on it and reads it raw, behind the store's back.
/// </summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly List<TunnelStore> _stores = [];

    private StoreHarness(Backend backend, string dataDirectory, string? databaseUrl, TimeProvider? time)
    {
        Backend = backend;
        DataDirectory = dataDirectory;
        DatabaseUrl = databaseUrl;
        Options = new StoreOptions { DataDirectory = dataDirectory, DatabaseUrl = databaseUrl, TimeProvider = time };
    }

    public Backend Backend { get; }

    public string DataDirectory { get; }

    public string? DatabaseUrl { get; }

    public StoreOptions Options { get; }

    public string SqlitePath => Path.Combine(DataDirectory, DatabaseTarget.SqliteFileName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<StoreHarness> CreateAsync(Backend backend, PostgresFixture postgres, TimeProvider? time = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"tunnelop-store-{Guid.NewGuid():N}");
        var url = backend == Backend.Postgres ? await postgres.CreateDatabaseAsync() : null;
        return new StoreHarness(backend, dataDirectory, url, time);
    }

    public async Task<TunnelStore> OpenAsync()
    {
        var store = await TunnelStore.OpenAsync(Options, Ct);
        _stores.Add(store);
        return store;
    }

    /// <summary>A connection that bypasses the store, for checking what it really wrote.</summary>
    public DbConnection RawConnection() => Backend == Backend.Sqlite
        ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = SqlitePath, Pooling = false }.ConnectionString)
        : new NpgsqlConnection(PostgresConnectionStrings.Parse(DatabaseUrl!).ConnectionString);

    public async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var connection = RawConnection();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(Ct))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i, Ct) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = RawConnection();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>A GUID as a SQL literal in the form each database stores it.</summary>
    public string IdLiteral(Guid id) => Backend == Backend.Sqlite ? $"'{id.ToString().ToUpperInvariant()}'" : $"'{id}'";

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
