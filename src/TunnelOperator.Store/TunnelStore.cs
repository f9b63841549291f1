using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Store.Data;
using TunnelOperator.Store.Database;
using TunnelOperator.Store.Migrations;

namespace TunnelOperator.Store;

/// <summary>
/// Users, API tokens and named tunnels, in SQLite (one edge) or PostgreSQL (edge replicas
/// sharing state). Safe for concurrent use: every call gets its own context and pooled
/// connection, and every write is one transaction.
///
/// Failures the caller is expected to handle are values: result-returning methods report
/// <see cref="StoreError"/>s, including <see cref="StoreError.Unavailable"/> when the database
/// cannot be reached; the methods that return plain values throw
/// <see cref="StoreUnavailableException"/> for an outage instead.
/// </summary>
public sealed partial class TunnelStore : IAsyncDisposable
{
    private readonly DatabaseTarget _target;
    private readonly DbContextOptions<StoreDbContext> _contextOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _disposed;
    private int _outage;

    private TunnelStore(DatabaseTarget target, TimeProvider time, ILogger logger)
    {
        _target = target;
        _contextOptions = target.CreateContextOptions();
        _time = time;
        _logger = logger;
    }

    private enum Stage
    {
        Opening,
        Working,
        Committing,
    }

    /// <summary>Where slug suffixes come from; tests substitute a sequence to force collisions.</summary>
    internal Func<string> SlugSuffixes { get; set; } = Slugs.RandomSuffix;

    internal DatabaseTarget Target => _target;

    /// <summary>
    /// Creates the data directory, connects, and applies pending migrations. Throws
    /// <see cref="ArgumentException"/> for an unusable <see cref="StoreOptions.DatabaseUrl"/>,
    /// <see cref="StoreUnavailableException"/> when the database cannot be reached, and
    /// <see cref="InvalidOperationException"/> when its schema is newer than this build.
    /// </summary>
    public static async Task<TunnelStore> OpenAsync(StoreOptions options, CancellationToken ct = default)
    {
        var target = DatabaseTarget.From(options);
        Directory.CreateDirectory(options.DataDirectory);
        var time = options.TimeProvider ?? TimeProvider.System;
        var logger = options.LoggerFactory?.CreateLogger<TunnelStore>() ?? (ILogger)NullLogger.Instance;
        var store = new TunnelStore(target, time, logger);
        try
        {
            await new Migrator(target, MigrationCatalog.All, time, logger).MigrateAsync(ct).ConfigureAwait(false);
            return store;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && DbFailures.IsUnavailable(e))
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw store.Unavailable(e);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>True when a round trip to the database succeeds; for readiness probes, so it never throws.</summary>
    public async Task<bool> CanConnectAsync(CancellationToken ct = default)
    {
        try
        {
            return await ExecuteAsync(async (db, token) =>
            {
                await db.Database.ExecuteSqlRawAsync("SELECT 1", token).ConfigureAwait(false);
                return true;
            }, transaction: false, ct).ConfigureAwait(false);
        }
        catch (Exception)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Releases the file handles (SQLite) or server sessions (PostgreSQL) this store pooled.
            _target.ClearPool();
        }

        return ValueTask.CompletedTask;
    }

    internal StoreDbContext CreateContext() => new(_contextOptions);

    /// <summary>
    /// Runs <paramref name="work"/> on a fresh context, in a transaction when asked, and turns
    /// outages into <see cref="StoreUnavailableException"/>.
    ///
    /// After a database restart or failover every idle pooled connection is dead, and each fails
    /// on its first command although the server is back. Such a failure is retried on a new
    /// connection, but only before the commit was sent: after it the outcome is unknown, and
    /// running the write again could apply it twice. Up to <see cref="DeadConnectionRetries"/>
    /// times, because callers running at once while the pool is cleared can each draw another
    /// dead connection; a server that is really down fails at opening and is not retried.
    /// </summary>
    private const int DeadConnectionRetries = 3;

    private async Task<T> ExecuteAsync<T>(Func<StoreDbContext, CancellationToken, Task<T>> work, bool transaction, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        for (var attempt = 1; ; attempt++)
        {
            var stage = Stage.Opening;
            try
            {
                T result;
                await using (var db = CreateContext())
                {
                    await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
                    stage = Stage.Working;
                    if (transaction)
                    {
                        await using var tx = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                        result = await work(db, ct).ConfigureAwait(false);
                        stage = Stage.Committing;
                        await tx.CommitAsync(ct).ConfigureAwait(false);
                    }
                    else
                    {
                        result = await work(db, ct).ConfigureAwait(false);
                    }
                }

                if (Interlocked.Exchange(ref _outage, 0) == 1)
                {
                    LogRecovered(_logger, _target.Description);
                }

                return result;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && DbFailures.IsUnavailable(e))
            {
                _target.ClearPool();
                if (attempt <= DeadConnectionRetries && stage == Stage.Working)
                {
                    LogRetrying(_logger, _target.Description, DbFailures.Reason(e));
                    continue;
                }

                var unavailable = Unavailable(e);
                if (Interlocked.Exchange(ref _outage, 1) == 0)
                {
                    LogUnavailable(_logger, unavailable.Message);
                }

                throw unavailable;
            }
        }
    }

    /// <summary>A write whose expected failures are values, outages included.</summary>
    private async Task<StoreResult<T>> WriteAsync<T>(Func<StoreDbContext, CancellationToken, Task<StoreResult<T>>> work, CancellationToken ct)
    {
        try
        {
            return await ExecuteAsync(work, transaction: true, ct).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            return StoreResult<T>.Failure(StoreError.Unavailable, e.Message);
        }
    }

    /// <summary>
    /// <see cref="WriteAsync{T}"/> repeated when a unique index rejects the insert. On
    /// PostgreSQL (read committed) two writers can both see a value as free and both insert it;
    /// the loser's next round sees the winner's row and decides again.
    /// </summary>
    private async Task<StoreResult<T>> WriteRetryingConflictsAsync<T>(Func<StoreDbContext, CancellationToken, Task<StoreResult<T>>> work, string gaveUp, CancellationToken ct)
    {
        const int maxAttempts = 8;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteAsync(work, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (DbFailures.IsUniqueViolation(e) && attempt < maxAttempts)
            {
                LogUniqueRace(_logger, attempt, DbFailures.Reason(e));
            }
            catch (Exception e) when (DbFailures.IsUniqueViolation(e))
            {
                return StoreResult<T>.Failure(StoreError.Conflict, gaveUp);
            }
        }
    }

    private StoreUnavailableException Unavailable(Exception e) =>
        new($"the store is unavailable: cannot use the {_target.Description} ({DbFailures.Reason(e)}); {_target.Advice}", e);

    private static StoreResult<T> Fail<T>(StoreError error, string message) => StoreResult<T>.Failure(error, message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogUnavailable(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Database} is reachable again")]
    private static partial void LogRecovered(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A pooled connection to the {Database} failed ({Reason}); retrying once on a new connection")]
    private static partial void LogRetrying(ILogger logger, string database, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Concurrent insert lost a unique-index race (attempt {Attempt}: {Reason}); deciding again")]
    private static partial void LogUniqueRace(ILogger logger, int attempt, string reason);
}
