using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Patching;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>
/// Server-side apply and managedFields tracking with the semantics of sigs.k8s.io/structured-merge-diff
/// merge/update.go (Updater.Apply, Updater.Update) and the apiserver's field manager chain
/// (k8s.io/apimachinery/pkg/util/managedfields/internal: stripmeta, managedfieldsupdater, skipnonapplied,
/// capmanagers). Not replicated: the last-applied-configuration upgrade path of client-side apply.
/// </summary>
public static partial class ServerSideApply
{
    internal const string BeforeFirstApplyManager = "before-first-apply";

    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/>. <paramref name="live"/> null means
    /// create. <paramref name="resetFields"/> are the fields the resource's strategy resets for this
    /// (sub)resource (e.g. <c>.status</c> on the main resource when a status subresource exists); the applier
    /// never owns them and they never conflict. Throws <see cref="PatchException"/> for a malformed
    /// configuration (managedFields set, list items without their keys, duplicate keys).
    /// </summary>
    public static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, ITypeShape shape, DateTimeOffset now, string? subresource = null, FieldSet? resetFields = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(shape);
        if (applied["metadata"]?["managedFields"] is not null)
        {
            throw new PatchException("metadata.managedFields must be nil");
        }

        var liveObject = WithoutManagedFields(live);
        var managers = ManagedFields.Decode(live?["metadata"]?["managedFields"]);
        var apiVersion = JsonNodes.GetString(applied["apiVersion"]) ?? JsonNodes.GetString(live?["apiVersion"]) ?? "";

        // skipnonapplied.go: an object that was never tracked gets its current fields recorded first.
        if (managers.Count == 0 && live is not null)
        {
            Update([], liveObject, managers, BeforeFirstApplyManager, JsonNodes.GetString(live["apiVersion"]) ?? apiVersion, shape, now, subresource, resetFields);
        }

        var key = ManagedFields.Key(manager, "Apply", apiVersion, subresource);
        var merged = (JsonObject?)TypedValues.Merge(liveObject, applied, shape) ?? [];
        managers.TryGetValue(key, out var last);
        var set = TypedValues.ToFieldSet(applied, shape, strict: true);
        if (resetFields is not null)
        {
            set = set.RecursiveDifference(resetFields);
        }

        managers[key] = new ManagedEntry(set, apiVersion, last?.Time);
        merged = Prune(merged, managers, last?.Set, shape);

        var conflicts = TakeChangedFields(liveObject, merged, managers, key, shape, resetFields);
        if (conflicts.Count > 0 && !force)
        {
            return new ApplyResult(null, conflicts);
        }

        var changed = !JsonNodes.Equal(liveObject, merged);
        var entry = managers[key];
        var kept = entry.Set.Difference(ManagedFields.StripSet);
        if (kept.IsEmpty)
        {
            managers.Remove(key);
        }
        else
        {
            // managedfieldsupdater.go: the time moves only when the object changed.
            managers[key] = entry with { Set = kept, Time = changed ? ManagedFields.Time(now) : entry.Time };
        }

        CapUpdateManagers(managers);
        var encoded = ManagedFields.Encode(managers);
        if (!changed && live is not null && JsonNodes.Equal(encoded, live["metadata"]?["managedFields"]))
        {
            return new ApplyResult((JsonObject)live.DeepClone(), []) { Changed = false };
        }

        var result = changed ? merged : liveObject;
        SetManagedFields(result, encoded, live);
        return new ApplyResult(result, []);
    }

    /// <summary>
    /// Records an Update operation (create, update, patch) by <paramref name="manager"/>: fields added or
    /// changed between <paramref name="before"/> (null on create) and <paramref name="after"/> become the
    /// manager's, taken from whoever owned them; removed fields leave every manager. Writes
    /// metadata.managedFields of <paramref name="after"/>. Managed fields a client sends are kept on the main
    /// resource (<c>[{}]</c> clears them); an untracked existing object stays untracked.
    /// </summary>
    public static void RecordUpdate(JsonObject? before, JsonObject after, string manager, ITypeShape shape, DateTimeOffset now, string? subresource = null, FieldSet? resetFields = null)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(shape);
        var sent = after["metadata"]?["managedFields"];

        // fieldmanager.go decodeLiveOrNew.
        Dictionary<ManagerKey, ManagedEntry> managers;
        if (subresource is not null)
        {
            managers = ManagedFields.Decode(before?["metadata"]?["managedFields"]);
        }
        else if (ManagedFields.IsReset(sent))
        {
            managers = [];
        }
        else
        {
            managers = ManagedFields.Decode(sent);
            if (managers.Count == 0)
            {
                managers = ManagedFields.Decode(before?["metadata"]?["managedFields"]);
            }
        }

        var newObject = WithoutManagedFields(after);
        var uid = JsonNodes.GetString(before?["metadata"]?["uid"]);
        if (managers.Count > 0 || string.IsNullOrEmpty(uid))
        {
            var apiVersion = JsonNodes.GetString(after["apiVersion"]) ?? "";
            Update(WithoutManagedFields(before), newObject, managers, manager, apiVersion, shape, now, subresource, resetFields);
            CapUpdateManagers(managers);
        }

        SetManagedFields(after, ManagedFields.Encode(managers), after);
    }

    /// <summary>
    /// The apiserver's 409 message for conflicts (fieldmanager/internal/conflict.go getConflictMessage), e.g.
    /// <c>Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas</c>. Each
    /// StatusCause is type FieldManagerConflict, message <c>conflict with {manager}</c>, field the path.
    /// </summary>
    public static string ConflictMessage(IReadOnlyList<ApplyConflict> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].DescribeManager()}: {conflicts[0].Field}";
        }

        var lines = conflicts.GroupBy(c => c.DescribeManager()).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => new[] { $"conflicts with {g.Key}:" }.Concat(g.Select(c => $"- {c.Field}")));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
