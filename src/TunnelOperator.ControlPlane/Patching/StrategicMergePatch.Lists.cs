using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Patching;

/// <summary>Merging lists: merge keys, list directives, and the element order rules of strategicpatch/patch.go.</summary>
public static partial class StrategicMergePatch
{
    private static JsonArray MergeSlice(JsonArray original, JsonArray patch, IPatchMeta elementMeta, string? mergeKey, bool isDeleteList, string field)
    {
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        var isMap = ElementsAreMaps(original, patch, field);
        List<JsonNode?> merged;
        var patchItems = patch.ToList();
        var originalItems = original.ToList();
        if (!isMap)
        {
            if (isDeleteList)
            {
                // deleteFromSlice: drop every scalar the parallel list names, keep the rest in order.
                return ToArray(originalItems.Where(o => !patchItems.Any(p => JsonNodes.Equal(o, p))));
            }

            merged = Deduplicate(originalItems.Concat(patchItems));
        }
        else
        {
            if (string.IsNullOrEmpty(mergeKey))
            {
                throw new PatchException($"cannot merge lists without merge key for {field}");
            }

            (originalItems, patchItems) = ApplySpecialElements(originalItems, patchItems, mergeKey);
            merged = MergeByKey(originalItems, patchItems, mergeKey, elementMeta);
        }

        var (fromPatch, serverOnly) = Partition(merged, patchItems, isMap ? mergeKey : null);
        return ToArray(NormalizeOrder(fromPatch, serverOnly, patchItems, originalItems, isMap ? mergeKey : null));
    }

    private static bool ElementsAreMaps(JsonArray original, JsonArray patch, string field)
    {
        var kinds = original.Concat(patch).Select(n => n switch { JsonObject => 1, JsonArray => 2, _ => 0 }).Distinct().ToList();
        if (kinds.Contains(2))
        {
            throw new PatchException($"lists of lists are not supported in {field}");
        }

        if (kinds.Count > 1)
        {
            throw new PatchException($"list {field} mixes objects and scalars");
        }

        return kinds.Count == 1 && kinds[0] == 1;
    }

    // mergeSliceWithSpecialElements: {"$patch": "delete", key: v} removes matching items, {"$patch": "replace"}
    // makes the rest of the patch list the whole list.
    private static (List<JsonNode?> Original, List<JsonNode?> Patch) ApplySpecialElements(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey)
    {
        var plain = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(DirectiveMarker, out var directive))
            {
                plain.Add(item);
                continue;
            }

            switch (JsonNodes.GetString(directive))
            {
                case "delete":
                    if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
                    {
                        throw new PatchException("delete patch type with no merge key defined");
                    }

                    original = original.Where(o => !(o is JsonObject om && om.TryGetPropertyValue(mergeKey, out var v) && JsonNodes.Equal(v, keyValue))).ToList();
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new PatchException($"unknown patch type: {directive?.ToJsonString()} in map: {map.ToJsonString()}");
            }
        }

        return replace ? (plain, []) : (original, plain);
    }

    private static List<JsonNode?> MergeByKey(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey, IPatchMeta elementMeta)
    {
        var result = original.ToList();
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw new PatchException($"map: {map.ToJsonString()} does not contain declared merge key: {mergeKey}");
            }

            var index = result.FindIndex(o => o is JsonObject om && om.TryGetPropertyValue(mergeKey, out var v) && JsonNodes.Equal(v, keyValue));
            if (index >= 0)
            {
                result[index] = MergeMap(Detached((JsonObject)result[index]!), Detached(map), elementMeta);
            }
            else
            {
                result.Add(DiscardNulls(Detached(map)));
            }
        }

        return result;
    }

    private static List<JsonNode?> Deduplicate(IEnumerable<JsonNode?> items)
    {
        var result = new List<JsonNode?>();
        foreach (var item in items)
        {
            if (!result.Any(r => JsonNodes.Equal(r, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    // $setElementOrder/<field>: merge the field's patch list first, then order the result by the directive list
    // (precedence: $setElementOrder, then the patch list, then the live list).
    private static void MergeSetElementOrder(JsonObject original, JsonObject patch, IPatchMeta meta)
    {
        foreach (var (key, orderNode) in patch.ToList())
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var field = key[SetElementOrderPrefix.Length..];
            patch.Remove(key);
            if (orderNode is not JsonArray orderList)
            {
                throw new PatchException($"invalid patch format of {key}: must be a list");
            }

            var fieldMeta = meta.Field(field);
            var mergeKey = fieldMeta?.MergeKey;
            original.TryGetPropertyValue(field, out var originalValue);
            patch.TryGetPropertyValue(field, out var patchValue);
            if (originalValue is null && patchValue is null)
            {
                continue;
            }

            var originalList = originalValue as JsonArray ?? [];
            var patchList = patchValue as JsonArray ?? [];
            var merged = patchValue is null ? Detached(originalList).ToList()
                : originalValue is null ? DiscardNulls(Detached(patchList))!.AsArray().ToList()
                : fieldMeta?.Merges == true ? MergeSlice(Detached(originalList), Detached(patchList), fieldMeta.Type ?? PatchMeta.Empty, mergeKey, false, field).ToList()
                : Detached(patchList).ToList();
            patch.Remove(field);

            var isMap = merged.Any(m => m is JsonObject);
            var order = orderList.Select(JsonNodes.Clone).ToList();
            var (fromPatch, serverOnly) = Partition(merged, order, isMap ? mergeKey : null);
            original[field] = ToArray(NormalizeOrder(fromPatch, serverOnly, order, originalList.ToList(), isMap ? mergeKey : null));
        }
    }

    private static (List<JsonNode?> InList, List<JsonNode?> Others) Partition(List<JsonNode?> merged, List<JsonNode?> by, string? mergeKey)
    {
        var inList = new List<JsonNode?>();
        var rest = new List<JsonNode?>();
        foreach (var item in merged)
        {
            (IndexOf(by, item, mergeKey) >= 0 ? inList : rest).Add(item);
        }

        return (inList, rest);
    }

    // normalizeElementOrder: sort the patch items by the patch order and the server-only items by the live order,
    // then interleave them (mergeSortedSlice) by their positions in the live list.
    private static List<JsonNode?> NormalizeOrder(List<JsonNode?> patchItems, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var left = SortBy(serverOnly, serverOrder, mergeKey);
        var right = SortBy(patchItems, patchOrder, mergeKey);
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (i >= left.Count)
            {
                result.Add(right[j++]);
            }
            else if (j >= right.Count)
            {
                result.Add(left[i++]);
            }
            else
            {
                var li = IndexOf(serverOrder, left[i], mergeKey);
                var ri = IndexOf(serverOrder, right[j], mergeKey);
                result.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
            }
        }

        return result;
    }

    private static List<JsonNode?> SortBy(List<JsonNode?> items, List<JsonNode?> order, string? mergeKey) =>
        items.Select((item, position) => (item, position, index: IndexOf(order, item, mergeKey)))
            .OrderBy(t => t.index < 0 ? int.MaxValue : t.index)
            .ThenBy(t => t.position)
            .Select(t => t.item)
            .ToList();

    private static int IndexOf(List<JsonNode?> list, JsonNode? item, string? mergeKey)
    {
        if (mergeKey is null)
        {
            return list.FindIndex(l => JsonNodes.Equal(l, item));
        }

        if (item is not JsonObject im || !im.TryGetPropertyValue(mergeKey, out var key))
        {
            throw new PatchException($"map: {item?.ToJsonString()} does not contain declared merge key: {mergeKey}");
        }

        return list.FindIndex(l => l is JsonObject lm && lm.TryGetPropertyValue(mergeKey, out var v) && JsonNodes.Equal(v, key));
    }

    private static JsonArray ToArray(IEnumerable<JsonNode?> items) => new(items.Select(JsonNodes.Detach).ToArray());
}
