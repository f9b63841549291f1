using Microsoft.Extensions.Logging;

namespace TunnelOperator.Store;

/// <summary>Where the store keeps its data.</summary>
public sealed record StoreOptions
{
    /// <summary>
    /// Directory created at open. Holds the SQLite file <c>tunneld.db</c> when
    /// <see cref="DatabaseUrl"/> is not set.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// PostgreSQL, either as a URL (<c>postgres://user:password@host:5432/db?sslmode=require</c>)
    /// or as an Npgsql keyword connection string (<c>Host=db;Database=tunneld;Username=...</c>).
    /// Null or blank selects SQLite in <see cref="DataDirectory"/>.
    /// </summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>The clock for <c>created_at</c>, <c>last_used_at</c> and <c>applied_at</c>; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>For migration and outage messages; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
