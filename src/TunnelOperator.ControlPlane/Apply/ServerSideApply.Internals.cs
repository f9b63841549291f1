using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>The steps shared by Apply and Update.</summary>
public static partial class ServerSideApply
{
    private const int MaxUpdateManagers = 10;
    private const string AncientChangesManager = "ancient-changes";

    // Updater.Update with the "current-operation" trick of managedfieldsupdater.go.
    private static void Update(JsonObject before, JsonObject after, Dictionary<ManagerKey, ManagedEntry> managers, string manager, string apiVersion, ITypeShape shape, DateTimeOffset now, string? subresource, FieldSet? resetFields)
    {
        var (added, modified, removed) = Filter(TypedValues.Compare(before, after, shape), resetFields);
        foreach (var key in managers.Keys.ToList())
        {
            var entry = managers[key];
            managers[key] = entry with { Set = entry.Set.Difference(modified.Union(added)).Difference(removed) };
        }

        var current = added.Union(modified).Difference(ManagedFields.StripSet);
        if (!current.IsEmpty)
        {
            var key = ManagedFields.Key(manager, "Update", apiVersion, subresource);
            var previous = managers.TryGetValue(key, out var p) ? p.Set : FieldSet.Empty;
            managers[key] = new ManagedEntry(current.Union(previous), apiVersion, ManagedFields.Time(now));
        }

        DropEmpty(managers);
    }

    // Updater.update: other managers lose what the change modified or added (these are the conflicts) and
    // what it removed.
    private static List<ApplyConflict> TakeChangedFields(JsonObject live, JsonObject merged, Dictionary<ManagerKey, ManagedEntry> managers, ManagerKey applier, ITypeShape shape, FieldSet? resetFields)
    {
        var (added, modified, removed) = Filter(TypedValues.Compare(live, merged, shape), resetFields);
        var changed = modified.Union(added);
        var conflicts = new List<ApplyConflict>();
        foreach (var key in managers.Keys.OrderBy(k => k.Manager, StringComparer.Ordinal).ThenBy(k => k.Operation, StringComparer.Ordinal).ToList())
        {
            if (key == applier)
            {
                continue;
            }

            var entry = managers[key];
            var conflict = entry.Set.Intersection(changed);
            if (!conflict.IsEmpty)
            {
                foreach (var path in conflict.Paths())
                {
                    conflicts.Add(new ApplyConflict(key.Manager, path)
                    {
                        Operation = key.Operation,
                        ApiVersion = entry.ApiVersion,
                        Subresource = key.Subresource.Length > 0 ? key.Subresource : null,
                        Time = entry.Time,
                    });
                }
            }

            managers[key] = entry with { Set = entry.Set.Difference(conflict).Difference(removed) };
        }

        DropEmpty(managers, except: applier);
        return conflicts;
    }

    private static (FieldSet Added, FieldSet Modified, FieldSet Removed) Filter((FieldSet Added, FieldSet Modified, FieldSet Removed) c, FieldSet? reset) =>
        reset is null ? c : (c.Added.RecursiveDifference(reset), c.Modified.RecursiveDifference(reset), c.Removed.RecursiveDifference(reset));

    /// <summary>
    /// Updater.prune: fields the applier owned last time and no longer applies are removed unless another
    /// manager (or the new configuration) owns them; fields nobody ever owned are left alone.
    /// </summary>
    private static JsonObject Prune(JsonObject merged, Dictionary<ManagerKey, ManagedEntry> managers, FieldSet? lastSet, ITypeShape shape)
    {
        if (lastSet is null || lastSet.IsEmpty)
        {
            return merged;
        }

        FieldSet Named(FieldSet s) => TypedValues.EnsureNamedFieldsAreMembers(s, shape);
        FieldSet SetOf(JsonNode? v) => Named(TypedValues.ToFieldSet(v, shape, strict: false));
        JsonObject Remove(FieldSet s) => TypedValues.RemoveItems(merged, s, shape) as JsonObject ?? [];

        var last = Named(lastSet);
        var owned = Named(managers.Values.Aggregate(FieldSet.Empty, (acc, e) => acc.Union(e.Set)));
        var mergedSet = SetOf(merged);

        // 1. remove everything the applier owned; 2. add back what anyone owns (addBackOwnedItems);
        // 3. of what is still missing, remove only what the applier owned (addBackDanglingItems).
        var pruned = Remove(last);
        var withOwned = Remove(mergedSet.Difference(SetOf(pruned).Union(owned)));
        return Remove(mergedSet.Difference(SetOf(withOwned)).Intersection(last));
    }

    // capmanagers.go: at most ten Update entries; the oldest fold into an "ancient-changes" entry per version.
    private static void CapUpdateManagers(Dictionary<ManagerKey, ManagedEntry> managers)
    {
        var updaters = managers.Where(m => m.Key.Operation == "Update").ToList();
        if (updaters.Count <= MaxUpdateManagers)
        {
            return;
        }

        var ordered = updaters.OrderBy(u => u.Value.Time ?? "", StringComparer.Ordinal).ThenBy(u => u.Key.Manager, StringComparer.Ordinal).ToList();
        var firstByVersion = new Dictionary<string, ManagerKey>();
        var length = ordered.Count;
        for (var i = 0; i < ordered.Count && length > MaxUpdateManagers; i++)
        {
            var (key, entry) = ordered[i];
            var bucket = ManagedFields.Key(AncientChangesManager, "Update", entry.ApiVersion, null);
            if (firstByVersion.TryGetValue(entry.ApiVersion, out var first))
            {
                if (!managers.TryGetValue(bucket, out var bucketEntry))
                {
                    bucketEntry = managers[first];
                    managers.Remove(first);
                }

                managers[bucket] = new ManagedEntry(entry.Set.Union(bucketEntry.Set), entry.ApiVersion, entry.Time);
                managers.Remove(key);
                length--;
            }
            else
            {
                firstByVersion[entry.ApiVersion] = key;
            }
        }
    }

    private static void DropEmpty(Dictionary<ManagerKey, ManagedEntry> managers, ManagerKey? except = null)
    {
        foreach (var key in managers.Where(m => m.Value.Set.IsEmpty && m.Key != except).Select(m => m.Key).ToList())
        {
            managers.Remove(key);
        }
    }

    private static JsonObject WithoutManagedFields(JsonObject? obj)
    {
        var copy = (JsonObject?)obj?.DeepClone() ?? [];
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    // Puts managedFields back where the original object had them (ObjectMeta keeps a fixed field order).
    private static void SetManagedFields(JsonObject target, JsonArray? encoded, JsonObject? original)
    {
        var metadata = target["metadata"] as JsonObject;
        if (encoded is null)
        {
            metadata?.Remove("managedFields");
            return;
        }

        if (metadata is null)
        {
            metadata = [];
            target["metadata"] = metadata;
        }

        if (metadata.ContainsKey("managedFields"))
        {
            metadata["managedFields"] = encoded;
            return;
        }

        var originalIndex = (original?["metadata"] as JsonObject)?.IndexOf("managedFields") ?? -1;
        if (originalIndex >= 0 && originalIndex <= metadata.Count)
        {
            metadata.Insert(originalIndex, "managedFields", encoded);
        }
        else
        {
            metadata["managedFields"] = encoded;
        }
    }
}
