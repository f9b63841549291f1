using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TunnelOperator.Store.Database;

/// <summary>
/// Sorts database exceptions into the few kinds the store reacts to. EF wraps provider errors
/// (DbUpdateException and others), so every check walks the inner exceptions.
/// </summary>
internal static class DbFailures
{
    // SQLite result codes (https://www.sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintForeignKey = 787;

    public static bool IsUniqueViolation(Exception e) => Chain(e).Any(x => x switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException lite => lite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        _ => false,
    });

    public static bool IsForeignKeyViolation(Exception e) => Chain(e).Any(x => x switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException lite => lite.SqliteExtendedErrorCode == SqliteConstraintForeignKey,
        _ => false,
    });

    /// <summary>
    /// The database cannot be used right now: unreachable, shutting down, refusing our
    /// credentials, out of connections or disk. Errors in our own SQL are bugs and not included.
    /// </summary>
    public static bool IsUnavailable(Exception e) => Chain(e).Any(x => x switch
    {
        PostgresException pg => IsUnavailableState(pg.SqlState),
        // Npgsql raises a plain NpgsqlException (not PostgresException) for I/O, TLS and timeout
        // failures, and marks those transient.
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException lite => lite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoError
            or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteNotADatabase,
        SocketException or TimeoutException or IOException => true,
        _ => false,
    });

    /// <summary>The innermost message, which names the actual cause ("Connection refused").</summary>
    public static string Reason(Exception e)
    {
        var innermost = Chain(e).Last();
        return innermost is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : innermost.Message;
    }

    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) // connection exception
        || state.StartsWith("28", StringComparison.Ordinal) // invalid authorization (wrong password, no pg_hba entry)
        || state.StartsWith("53", StringComparison.Ordinal) // insufficient resources (too many connections, disk full)
        || state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.InvalidCatalogName // the database does not exist
            or PostgresErrorCodes.ReadOnlySqlTransaction; // a standby after failover

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
