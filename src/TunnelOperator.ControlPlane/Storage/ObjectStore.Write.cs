using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Storage;

internal sealed partial class ObjectStore
{
    /// <summary>
    /// Read-modify-write of one object under the writer lock: <paramref name="decide"/> sees the current
    /// state (null when absent; never to be mutated) and says what to do. A put gets the next
    /// resourceVersion; a dry run computes the outcome and commits nothing.
    /// </summary>
    public async Task<StoreResult> MutateAsync(ResourceKey key, string ns, string name, Func<JsonObject?, Mutation> decide, bool dryRun, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var current = Get(key, ns, name);
            var decision = decide(current);
            switch (decision.Kind)
            {
                case MutationKind.Fail:
                    return StoreResult.Failed(decision.Error!);
                case MutationKind.NoChange:
                    return new StoreResult(decision.Object ?? current, null, MutationKind.NoChange);
                case MutationKind.Put:
                    {
                        var next = decision.Object!;
                        if (dryRun)
                        {
                            return new StoreResult(next, null, MutationKind.Put);
                        }

                        var rv = _resourceVersion + 1;
                        Meta.Metadata(next)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        Persist(key, ns, name, rv, next);
                        Commit(new StoreEvent(current is null ? StoreEventType.Added : StoreEventType.Modified, key, ns, name, next, current, rv));
                        return new StoreResult(next, null, MutationKind.Put);
                    }

                default:
                    {
                        if (current is null)
                        {
                            return new StoreResult(null, null, MutationKind.NoChange);
                        }

                        var gone = (decision.Object ?? current).DeepClone().AsObject();
                        if (dryRun)
                        {
                            return new StoreResult(gone, null, MutationKind.Delete);
                        }

                        var rv = _resourceVersion + 1;
                        Meta.Metadata(gone)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        Persist(key, ns, name, rv, null);
                        Commit(new StoreEvent(StoreEventType.Deleted, key, ns, name, gone, current, rv));
                        return new StoreResult(gone, null, MutationKind.Delete);
                    }
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes the row (or removes it) and the new global resourceVersion in one transaction.</summary>
    private void Persist(ResourceKey key, string ns, string name, long rv, JsonObject? obj)
    {
        using var tx = _db.BeginTransaction();
        using (var cmd = _db.CreateCommand())
        {
            cmd.Transaction = tx;
            if (obj is null)
            {
                cmd.CommandText = "DELETE FROM objects WHERE grp = $g AND resource = $r AND namespace = $ns AND name = $n";
            }
            else
            {
                cmd.CommandText = "INSERT OR REPLACE INTO objects (grp, resource, namespace, name, rv, json) VALUES ($g, $r, $ns, $n, $rv, $json)";
                cmd.Parameters.AddWithValue("$rv", rv);
                cmd.Parameters.AddWithValue("$json", obj.ToJsonString());
            }

            cmd.Parameters.AddWithValue("$g", key.Group);
            cmd.Parameters.AddWithValue("$r", key.Resource);
            cmd.Parameters.AddWithValue("$ns", ns);
            cmd.Parameters.AddWithValue("$n", name);
            cmd.ExecuteNonQuery();
        }

        using (var meta = _db.CreateCommand())
        {
            meta.Transaction = tx;
            meta.CommandText = "UPDATE meta SET value = $rv WHERE key = 'resourceVersion'";
            meta.Parameters.AddWithValue("$rv", rv);
            meta.ExecuteNonQuery();
        }

        tx.Commit();
    }

    private void Commit(StoreEvent e)
    {
        lock (_sync)
        {
            var bucket = Bucket(e.Key);
            var objectKey = ObjectKey(e.Namespace, e.Name);
            if (e.Type == StoreEventType.Deleted)
            {
                bucket.Remove(objectKey);
            }
            else
            {
                bucket[objectKey] = e.Object;
            }

            _resourceVersion = e.ResourceVersion;
            Hub.Publish(e);
        }

        Log.Committed(_logger, e.TypeName, e.Key, e.Namespace, e.Name, e.ResourceVersion);
        Committed?.Invoke(e);
    }
}
