using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TunnelOperator.Store.Data;

namespace TunnelOperator.Store.Database;

/// <summary>
/// Which database the store uses and how to reach it. <see cref="Description"/> names it for
/// messages and never contains a password.
/// </summary>
internal sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString, string BootstrapConnectionString, string Description)
{
    public const string SqliteFileName = "tunneld.db";

    public static DatabaseTarget From(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new ArgumentException("a data directory is required (--data-dir): it holds the SQLite database and the edge's generated files", nameof(options));
        }

        return string.IsNullOrWhiteSpace(options.DatabaseUrl)
            ? Sqlite(Path.GetFullPath(Path.Combine(options.DataDirectory, SqliteFileName)))
            : Postgres(PostgresConnectionStrings.Parse(options.DatabaseUrl));
    }

    private static DatabaseTarget Sqlite(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            ForeignKeys = true,
            Pooling = true,
            // Seconds a statement waits for another writer's lock before SQLITE_BUSY.
            DefaultTimeout = 30,
            // After the first open the file must exist: a missing file is an outage to report,
            // not a reason to start over with an empty database.
            Mode = SqliteOpenMode.ReadWrite,
        };
        var bootstrap = new SqliteConnectionStringBuilder(builder.ConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate };
        return new DatabaseTarget(DatabaseProvider.Sqlite, builder.ConnectionString, bootstrap.ConnectionString, $"SQLite database {path}");
    }

    private static DatabaseTarget Postgres(NpgsqlConnectionStringBuilder builder)
    {
        var description = $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port} as user '{builder.Username}'";
        return new DatabaseTarget(DatabaseProvider.Postgres, builder.ConnectionString, builder.ConnectionString, description);
    }

    /// <summary>What to check, appended to outage messages.</summary>
    public string Advice => Provider == DatabaseProvider.Sqlite
        ? "check that the data directory exists, is writable and has free space (--data-dir)"
        : "check that the server is running and reachable from here and that the host, port, database, user and password in --database-url are right";

    public DbConnection CreateBootstrapConnection() => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(BootstrapConnectionString)
        : new NpgsqlConnection(BootstrapConnectionString);

    public DbContextOptions<StoreDbContext> CreateContextOptions()
    {
        var builder = new DbContextOptionsBuilder<StoreDbContext>().UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return (Provider == DatabaseProvider.Sqlite
            ? builder.UseSqlite(ConnectionString)
            : builder.UseNpgsql(ConnectionString)).Options;
    }

    /// <summary>
    /// Drops this database's idle pooled connections. After an outage they are all dead, and
    /// neither driver notices until each one fails a command in turn.
    /// </summary>
    public void ClearPool()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            using var connection = new SqliteConnection(ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
        else
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
