using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>Merging an applied configuration into the live object, and comparing two objects.</summary>
internal static partial class TypedValues
{
    /// <summary>
    /// typed.Merge: the applied value wins for scalars, atomic lists and maps; maps merge key by key; granular
    /// lists merge item by item, live-only items keep their places and applied items come in applied order.
    /// </summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? applied, ITypeShape shape)
    {
        switch (live, applied)
        {
            case (JsonObject l, JsonObject r):
                if (shape.IsAtomicMap || l.Count == 0 && r.Count == 0)
                {
                    return JsonNodes.Clone(r);
                }

                var result = new JsonObject();
                foreach (var (key, lv) in l)
                {
                    result[key] = r.TryGetPropertyValue(key, out var rv) ? Merge(lv, rv, shape.Field(key)) : JsonNodes.Clone(lv);
                }

                foreach (var (key, rv) in r)
                {
                    if (!l.ContainsKey(key))
                    {
                        result[key] = JsonNodes.Clone(rv);
                    }
                }

                return result;
            case (JsonArray l, JsonArray r):
                if (shape.ListType == ListType.Atomic || l.Count == 0 && r.Count == 0)
                {
                    return JsonNodes.Clone(r);
                }

                return MergeList(l, r, shape);
            default:
                return JsonNodes.Clone(applied);
        }
    }

    // The ordering of typed/merge.go visitListItems (structured-merge-diff v4).
    private static JsonArray MergeList(JsonArray lhs, JsonArray rhs, ITypeShape shape)
    {
        var rhsPEs = rhs.Select(i => ItemElement(shape, i, strict: true)!).ToList();
        var observedRhs = new Dictionary<PathElement, JsonNode?>();
        for (var i = 0; i < rhs.Count; i++)
        {
            observedRhs[rhsPEs[i]] = rhs[i];
        }

        var lhsPEs = lhs.Select(i => ItemElement(shape, i, strict: false)).ToList();
        var observedLhs = new Dictionary<PathElement, JsonNode?>();
        for (var i = 0; i < lhs.Count; i++)
        {
            if (lhsPEs[i] is { } pe)
            {
                observedLhs.TryAdd(pe, lhs[i]);
            }
        }

        var shared = new Queue<PathElement>(rhsPEs.Where(observedLhs.ContainsKey));
        var nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        var mergedRhs = new HashSet<PathElement>();
        var output = new JsonArray();
        int li = 0, ri = 0;
        while (li < lhs.Count || ri < rhs.Count)
        {
            if (li < lhs.Count && ri < rhs.Count)
            {
                var pe = lhsPEs[li];
                if (pe is not null && pe.Equals(rhsPEs[ri]))
                {
                    mergedRhs.Add(pe);
                    output.Add(Merge(lhs[li], rhs[ri], shape.Items));
                    li++;
                    ri++;
                    nextShared = shared.Count > 0 ? shared.Dequeue() : null;
                    continue;
                }

                if (pe is not null && observedRhs.ContainsKey(pe) && nextShared is not null && !nextShared.Equals(pe))
                {
                    // A shared item, but not the one due in this round.
                    li++;
                    continue;
                }
            }

            if (li < lhs.Count)
            {
                var pe = lhsPEs[li];
                if (pe is null || !observedRhs.ContainsKey(pe))
                {
                    output.Add(JsonNodes.Clone(lhs[li]));
                    li++;
                    continue;
                }

                if (mergedRhs.Contains(pe))
                {
                    li++;
                    continue;
                }
            }

            if (ri < rhs.Count)
            {
                var pe = rhsPEs[ri];
                mergedRhs.Add(pe);
                output.Add(observedLhs.TryGetValue(pe, out var l) ? Merge(l, rhs[ri], shape.Items) : JsonNodes.Clone(rhs[ri]));
                ri++;
                if (nextShared is not null && nextShared.Equals(pe))
                {
                    nextShared = shared.Count > 0 ? shared.Dequeue() : null;
                }
            }
        }

        return output;
    }

    /// <summary>typed.Compare: leaves added, modified or removed, and non-leaf items added or removed.</summary>
    public static (FieldSet Added, FieldSet Modified, FieldSet Removed) Compare(JsonNode? before, JsonNode? after, ITypeShape shape)
    {
        var added = new FieldSet();
        var modified = new FieldSet();
        var removed = new FieldSet();
        Compare(before, true, after, true, shape, [], added, modified, removed);
        return (added, modified, removed);
    }

    private static void Compare(JsonNode? l, bool lp, JsonNode? r, bool rp, ITypeShape shape, List<PathElement> path, FieldSet added, FieldSet modified, FieldSet removed)
    {
        var lk = lp ? JsonNodes.Kind(l) : JsonKind.Null;
        var rk = rp ? JsonNodes.Kind(r) : JsonKind.Null;
        // A null on one side takes the form of the other (deduceAtom treats nil as a wildcard).
        bool Is(JsonKind kind) => (lk == kind || rk == kind) && (lk == kind || lk == JsonKind.Null) && (rk == kind || rk == JsonKind.Null);

        var leaf = true;
        if (Is(JsonKind.Object) && !shape.IsAtomicMap)
        {
            var lm = l as JsonObject ?? [];
            var rm = r as JsonObject ?? [];
            if (lm.Count > 0 || rm.Count > 0)
            {
                leaf = false;
                foreach (var (key, lv) in lm)
                {
                    path.Add(PathElement.Field(key));
                    var inR = rm.TryGetPropertyValue(key, out var rv);
                    Compare(lv, true, rv, inR, shape.Field(key), path, added, modified, removed);
                    path.RemoveAt(path.Count - 1);
                }

                foreach (var (key, rv) in rm)
                {
                    if (!lm.ContainsKey(key))
                    {
                        path.Add(PathElement.Field(key));
                        Compare(null, false, rv, true, shape.Field(key), path, added, modified, removed);
                        path.RemoveAt(path.Count - 1);
                    }
                }
            }
        }
        else if (Is(JsonKind.Array) && shape.ListType != ListType.Atomic)
        {
            var la = l as JsonArray ?? [];
            var ra = r as JsonArray ?? [];
            if (la.Count > 0 || ra.Count > 0)
            {
                leaf = false;
                var rItems = new Dictionary<PathElement, JsonNode?>();
                foreach (var item in ra)
                {
                    if (ItemElement(shape, item, strict: false) is { } pe)
                    {
                        rItems.TryAdd(pe, item);
                    }
                }

                var lSeen = new HashSet<PathElement>();
                foreach (var item in la)
                {
                    if (ItemElement(shape, item, strict: false) is not { } pe || !lSeen.Add(pe))
                    {
                        continue;
                    }

                    path.Add(pe);
                    var inR = rItems.TryGetValue(pe, out var rv);
                    Compare(item, true, rv, inR, shape.Items, path, added, modified, removed);
                    path.RemoveAt(path.Count - 1);
                }

                foreach (var (pe, rv) in rItems)
                {
                    if (!lSeen.Contains(pe))
                    {
                        path.Add(pe);
                        Compare(null, false, rv, true, shape.Items, path, added, modified, removed);
                        path.RemoveAt(path.Count - 1);
                    }
                }
            }
        }

        if (path.Count == 0)
        {
            return;
        }

        if (!lp)
        {
            added.Insert(path);
        }
        else if (!rp)
        {
            removed.Insert(path);
        }
        else if (leaf && !JsonNodes.Equal(l, r))
        {
            modified.Insert(path);
        }
    }
}
