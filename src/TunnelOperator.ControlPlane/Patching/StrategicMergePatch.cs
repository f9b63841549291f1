using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Patching;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json) as the apiserver applies it:
/// k8s.io/apimachinery/pkg/util/strategicpatch/patch.go StrategicMergePatch with MergeParallelList and
/// IgnoreUnmatchedNulls. Lists whose field has patchStrategy merge are merged by patchMergeKey (maps) or as
/// sets (scalars); other lists and maps with patchStrategy replace are replaced. Directives:
/// <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;field&gt;</c> and
/// <c>$setElementOrder/&lt;field&gt;</c> (design-proposals-archive cli/preserve-order-in-strategic-merge-patch.md).
/// </summary>
/// <remarks>
/// Upstream keeps nulls inside a list item the patch appends; the typed decoding of the real apiserver then drops
/// them. Objects here are stored as JSON, so those nulls are dropped at once, as they are for a new map value.
/// </remarks>
public static partial class StrategicMergePatch
{
    internal const string DirectiveMarker = "$patch";
    internal const string RetainKeysDirective = "$retainKeys";
    internal const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";
    internal const string SetElementOrderPrefix = "$setElementOrder/";

    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="original"/>. Throws <see cref="PatchException"/>.</summary>
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch, IPatchMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException("a strategic merge patch must be a JSON object");
        }

        var target = original as JsonObject ?? [];
        return MergeMap((JsonObject)target.DeepClone(), (JsonObject)patchObject.DeepClone(), meta);
    }

    private static JsonObject MergeMap(JsonObject original, JsonObject patch, IPatchMeta meta)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            switch (JsonNodes.GetString(directive))
            {
                case "replace":
                    // A map with "$patch: replace" is the new value as it is.
                    patch.Remove(DirectiveMarker);
                    return patch;
                case "delete":
                    return [];
                default:
                    throw new PatchException($"unknown patch type: {directive?.ToJsonString()} in map: {patch.ToJsonString()}");
            }
        }

        ApplyRetainKeys(original, patch);
        MergeSetElementOrder(original, patch, meta);

        foreach (var (rawKey, patchValue) in patch.ToList())
        {
            var key = rawKey;
            var isDeleteList = false;
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                key = key[DeleteFromPrimitiveListPrefix.Length..];
                isDeleteList = true;
            }

            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }

            if (!original.TryGetPropertyValue(key, out var originalValue))
            {
                if (!isDeleteList)
                {
                    original[key] = DiscardNulls(JsonNodes.Detach(patchValue));
                }

                continue;
            }

            var field = meta.Field(key);
            switch (originalValue, patchValue)
            {
                case (JsonObject o, JsonObject p):
                    original[key] = field?.Replaces == true ? Detached(p) : MergeMap(Detached(o), Detached(p), field?.Type ?? PatchMeta.Empty);
                    break;
                case (JsonArray o, JsonArray p):
                    original[key] = field?.Merges == true
                        ? MergeSlice(Detached(o), Detached(p), field.Type ?? PatchMeta.Empty, field.MergeKey, isDeleteList, key)
                        : Detached(p);
                    break;
                default:
                    if (!isDeleteList)
                    {
                        original[key] = DiscardNulls(JsonNodes.Detach(patchValue));
                    }

                    break;
            }
        }

        return original;
    }

    private static T Detached<T>(T node)
        where T : JsonNode => (T)JsonNodes.Detach(node)!;

    // applyRetainKeysDirective: keys of the original missing from $retainKeys are cleared; every key the patch
    // sets must be listed.
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }

        patch.Remove(RetainKeysDirective);
        if (retain is not JsonArray list || list.Any(e => JsonNodes.GetString(e) is null))
        {
            throw new PatchException("invalid patch format of retainKeys");
        }

        var keep = list.Select(e => JsonNodes.GetString(e)!).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is not null && !key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)
                && !key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) && !keep.Contains(key))
            {
                throw new PatchException("invalid patch format of retainKeys");
            }
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    // discardNullValuesFromPatch: a value taken from the patch as it is carries no removals.
    private static JsonNode? DiscardNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is null || key.StartsWith('$'))
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        DiscardNulls(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DiscardNulls(item);
                }

                break;
        }

        return node;
    }
}
