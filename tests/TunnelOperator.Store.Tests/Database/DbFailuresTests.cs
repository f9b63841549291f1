using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TunnelOperator.Store.Database;

namespace TunnelOperator.Store.Tests.Database;

public sealed class DbFailuresTests
{
    public enum Kind
    {
        Unavailable,
        Unique,
        ForeignKey,
        Bug,
    }

    public static TheoryData<string, Exception, Kind> Cases => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused)), Kind.Unavailable },
        { "server shutting down", Postgres(PostgresErrorCodes.AdminShutdown), Kind.Unavailable },
        { "server starting up", Postgres(PostgresErrorCodes.CannotConnectNow), Kind.Unavailable },
        { "wrong password", Postgres(PostgresErrorCodes.InvalidPassword), Kind.Unavailable },
        { "no such database", Postgres(PostgresErrorCodes.InvalidCatalogName), Kind.Unavailable },
        { "too many clients", Postgres(PostgresErrorCodes.TooManyConnections), Kind.Unavailable },
        { "postgres unique index", Postgres(PostgresErrorCodes.UniqueViolation), Kind.Unique },
        { "postgres foreign key", Postgres(PostgresErrorCodes.ForeignKeyViolation), Kind.ForeignKey },
        { "postgres syntax error", Postgres(PostgresErrorCodes.SyntaxError), Kind.Bug },
        { "sqlite busy", new SqliteException("database is locked", 5), Kind.Unavailable },
        { "sqlite cannot open", new SqliteException("unable to open database file", 14), Kind.Unavailable },
        { "sqlite disk full", new SqliteException("database or disk is full", 13), Kind.Unavailable },
        { "sqlite unique index", new SqliteException("UNIQUE constraint failed: users.email", 19, 2067), Kind.Unique },
        { "sqlite foreign key", new SqliteException("FOREIGN KEY constraint failed", 19, 787), Kind.ForeignKey },
        { "sqlite no such table", new SqliteException("no such table: users", 1), Kind.Bug },
        { "wrapped by EF", new DbUpdateException("saving failed", Postgres(PostgresErrorCodes.UniqueViolation)), Kind.Unique },
        { "plain bug", new InvalidOperationException("oops"), Kind.Bug },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_SortsProviderErrorsIntoWhatTheStoreReactsTo(string situation, Exception error, Kind expected)
    {
        var kind = DbFailures.IsUnavailable(error) ? Kind.Unavailable
            : DbFailures.IsUniqueViolation(error) ? Kind.Unique
            : DbFailures.IsForeignKeyViolation(error) ? Kind.ForeignKey
            : Kind.Bug;

        Assert.True(expected == kind, $"{situation}: expected {expected}, got {kind}");
    }

    private static PostgresException Postgres(string sqlState) => new("message from the server", "ERROR", "ERROR", sqlState);
}
