using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using TunnelOperator.Store.Data;
using TunnelOperator.Store.Database;

namespace TunnelOperator.Store.Migrations;

/// <summary>
/// Brings a database up to the schema this build expects, at every open.
///
///   1. One transaction creates <c>schema_migrations</c> if needed and reads what it records.
///      A version this build does not know (a newer tunneld migrated it), or a known version
///      under another name, stops the start: running old code on a newer schema loses data.
///   2. Each pending migration runs in its own transaction together with its
///      <c>schema_migrations</c> row, so a failure leaves the schema at the previous version.
///      The transaction re-reads the record first, as another instance may have applied it.
///
/// On PostgreSQL every such transaction first takes a transaction-scoped advisory lock, so edge
/// replicas starting together migrate one after the other. On SQLite the transactions are
/// BEGIN IMMEDIATE, which already excludes other writers.
/// </summary>
internal sealed partial class Migrator(DatabaseTarget target, IReadOnlyList<Migration> migrations, TimeProvider time, ILogger logger)
{
    public const string TableName = "schema_migrations";

    /// <summary>"TunnelOp" in ASCII: recognisable in pg_locks, unlikely to collide with another application's key.</summary>
    public const long AdvisoryLockKey = 0x54756E6E656C4F70;

    private string CreateTableSql => target.Provider == DatabaseProvider.Sqlite
        ? $"CREATE TABLE IF NOT EXISTS {TableName} (version INTEGER NOT NULL CONSTRAINT pk_{TableName} PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        : $"CREATE TABLE IF NOT EXISTS {TableName} (version integer NOT NULL CONSTRAINT pk_{TableName} PRIMARY KEY, name text NOT NULL, applied_at timestamp with time zone NOT NULL)";

    /// <summary>Applies what is pending; returns the migrations this call applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct)
    {
        await using var connection = target.CreateBootstrapConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging lets readers (token checks) proceed while a writer commits.
            // It is a property of the file, so setting it at every open is cheap and idempotent.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", ct).ConfigureAwait(false);
        }

        var recorded = await InTransactionAsync(connection, async tx =>
        {
            await ExecuteAsync(connection, tx, CreateTableSql, ct).ConfigureAwait(false);
            return await ReadRecordedAsync(connection, tx, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        Check(recorded);

        var applied = new List<Migration>();
        foreach (var migration in migrations.Where(m => !recorded.ContainsKey(m.Version)))
        {
            var ran = await InTransactionAsync(connection, async tx =>
            {
                var current = await ReadRecordedAsync(connection, tx, ct).ConfigureAwait(false);
                Check(current);
                if (current.ContainsKey(migration.Version))
                {
                    return false;
                }

                await ExecuteAsync(connection, tx, migration.SqlFor(target.Provider), ct).ConfigureAwait(false);
                await RecordAsync(connection, tx, migration, ct).ConfigureAwait(false);
                return true;
            }, ct).ConfigureAwait(false);
            if (ran)
            {
                applied.Add(migration);
                LogApplied(logger, migration.Version, migration.Name, target.Description);
            }
        }

        return applied;
    }

    private void Check(IReadOnlyDictionary<int, string> recorded)
    {
        var known = migrations.ToDictionary(m => m.Version, m => m.Name);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        foreach (var (version, name) in recorded.OrderBy(r => r.Key))
        {
            if (!known.TryGetValue(version, out var expected))
            {
                throw new InvalidOperationException(
                    $"the {target.Description} has schema migration {version} ('{name}'), which this build does not know (it knows up to {latest}); "
                    + "a newer version of tunneld has migrated it. Run that version or a newer one, or restore a backup taken before the upgrade; refusing to start rather than risk the data");
            }

            if (!string.Equals(expected, name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"the {target.Description} records schema migration {version} as '{name}', but this build's migration {version} is '{expected}'; "
                    + "the database was migrated by a different build of tunneld. Run that build, or restore a backup; refusing to start rather than risk the data");
            }
        }
    }

    private async Task<T> InTransactionAsync<T>(DbConnection connection, Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (target.Provider == DatabaseProvider.Postgres)
        {
            await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey.ToString(CultureInfo.InvariantCulture)})", ct).ConfigureAwait(false);
        }

        var result = await work(tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    private static async Task<IReadOnlyDictionary<int, string>> ReadRecordedAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT version, name FROM {TableName}";
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var recorded = new Dictionary<int, string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            recorded[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetString(1);
        }

        return recorded;
    }

    private async Task RecordAsync(DbConnection connection, DbTransaction tx, Migration migration, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {TableName} (version, name, applied_at) VALUES (@version, @name, @applied_at)";
        AddParameter(command, "version", migration.Version);
        AddParameter(command, "name", migration.Name);
        AddParameter(command, "applied_at", Timestamps.Now(time));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) to the {Database}")]
    private static partial void LogApplied(ILogger logger, int version, string name, string database);
}
