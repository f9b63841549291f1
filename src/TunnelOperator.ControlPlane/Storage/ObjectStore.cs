using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Storage;

/// <summary>
/// The persistent store behind every resource, playing etcd's part for kube-apiserver:
/// <list type="number">
/// <item>one global, monotonically increasing resourceVersion (int64, rendered as a string on objects);</item>
/// <item>objects as JSON rows keyed by (group, resource, namespace, name) in SQLite, so they survive restarts;</item>
/// <item>writes serialised by one writer lock, each in one transaction together with the new resourceVersion;</item>
/// <item>an in-memory copy of every object (the watch cache's role) that reads are served from, and a
///   <see cref="WatchHub"/> that fans committed events out to watchers.</item>
/// </list>
/// </summary>
internal sealed partial class ObjectStore : IAsyncDisposable
{
    private readonly SqliteConnection _db;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly object _sync = new();
    private readonly Dictionary<ResourceKey, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly ILogger _logger;
    private long _resourceVersion;

    private ObjectStore(SqliteConnection db, long resourceVersion, int watchCapacity, ILogger logger)
    {
        _db = db;
        _resourceVersion = resourceVersion;
        _logger = logger;
        Hub = new WatchHub(watchCapacity, resourceVersion);
    }

    public WatchHub Hub { get; }

    /// <summary>Called synchronously, in commit order, after each committed change (registry updates hang here).</summary>
    public event Action<StoreEvent>? Committed;

    public long CurrentResourceVersion
    {
        get
        {
            lock (_sync)
            {
                return _resourceVersion;
            }
        }
    }

    public static async Task<ObjectStore> OpenAsync(string path, int watchCapacity, ILogger logger, CancellationToken ct)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        await db.OpenAsync(ct);
        await using (var init = db.CreateCommand())
        {
            init.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS objects (
                    grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                    rv INTEGER NOT NULL, json TEXT NOT NULL,
                    PRIMARY KEY (grp, resource, namespace, name));
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                INSERT OR IGNORE INTO meta (key, value) VALUES ('resourceVersion', 0);
                """;
            await init.ExecuteNonQueryAsync(ct);
        }

        long rv;
        await using (var read = db.CreateCommand())
        {
            read.CommandText = "SELECT value FROM meta WHERE key = 'resourceVersion'";
            rv = (long)(await read.ExecuteScalarAsync(ct))!;
        }

        var store = new ObjectStore(db, rv, watchCapacity, logger);
        await using (var load = db.CreateCommand())
        {
            load.CommandText = "SELECT grp, resource, namespace, name, json FROM objects";
            await using var reader = await load.ExecuteReaderAsync(ct);
            var count = 0;
            while (await reader.ReadAsync(ct))
            {
                var key = new ResourceKey(reader.GetString(0), reader.GetString(1));
                if (JsonNode.Parse(reader.GetString(4)) is JsonObject obj)
                {
                    store.Bucket(key)[ObjectKey(reader.GetString(2), reader.GetString(3))] = obj;
                    count++;
                }
            }

            Log.Loaded(logger, count, rv);
        }

        return store;
    }

    private static string ObjectKey(string ns, string name) => ns + "/" + name;

    private SortedDictionary<string, JsonObject> Bucket(ResourceKey key)
    {
        if (!_objects.TryGetValue(key, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[key] = bucket;
        }

        return bucket;
    }

    /// <summary>The stored object, shared: callers clone before changing it.</summary>
    public JsonObject? Get(ResourceKey key, string ns, string name)
    {
        lock (_sync)
        {
            return _objects.TryGetValue(key, out var bucket) && bucket.TryGetValue(ObjectKey(ns, name), out var obj) ? obj : null;
        }
    }

    /// <summary>A consistent snapshot of a resource's objects (optionally one namespace's) and the resourceVersion it reflects.</summary>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List(ResourceKey key, string? ns)
    {
        lock (_sync)
        {
            return (Snapshot(key, ns), _resourceVersion);
        }
    }

    private List<JsonObject> Snapshot(ResourceKey key, string? ns)
    {
        if (!_objects.TryGetValue(key, out var bucket))
        {
            return [];
        }

        if (string.IsNullOrEmpty(ns))
        {
            return [.. bucket.Values];
        }

        var prefix = ns + "/";
        return [.. bucket.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value)];
    }

    /// <summary>Every stored object of every resource (for the garbage collector's sweeps).</summary>
    public IReadOnlyList<(ResourceKey Key, JsonObject Object)> All()
    {
        lock (_sync)
        {
            return [.. _objects.SelectMany(b => b.Value.Values.Select(o => (b.Key, o)))];
        }
    }

    /// <summary>
    /// Lists and starts a watch atomically: the watcher receives exactly the events after the snapshot.
    /// </summary>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion, Watcher Watcher) ListAndWatch(ResourceKey key, string? ns, Func<StoreEvent, bool> filter)
    {
        lock (_sync)
        {
            var watcher = Hub.Subscribe(_resourceVersion, filter) ?? throw new InvalidOperationException("the current resourceVersion cannot be compacted");
            return (Snapshot(key, ns), _resourceVersion, watcher);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await _db.DisposeAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} objects at resourceVersion {ResourceVersion}")]
        public static partial void Loaded(ILogger logger, int count, long resourceVersion);

        [LoggerMessage(Level = LogLevel.Debug, Message = "{Type} {Resource} {Namespace}/{Name} at {ResourceVersion}")]
        public static partial void Committed(ILogger logger, string type, ResourceKey resource, string @namespace, string name, long resourceVersion);
    }
}
