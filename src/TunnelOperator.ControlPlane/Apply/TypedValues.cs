using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Patching;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>
/// The value walks of structured-merge-diff's typed package over JSON nodes and a type shape: ToFieldSet
/// (typed/tofieldset.go), Merge (typed/merge.go), Compare (typed/compare.go), RemoveItems (typed/remove.go)
/// and Set.EnsureNamedFieldsAreMembers.
/// </summary>
internal static partial class TypedValues
{
    /// <summary>
    /// The fields a value sets: scalars, atomic lists and maps, list items (with "." when they also have
    /// fields), map entries, and struct fields only when null or empty. <paramref name="strict"/> refuses list
    /// items whose keys are missing or repeated (an applied configuration); otherwise such items are skipped.
    /// </summary>
    public static FieldSet ToFieldSet(JsonNode? value, ITypeShape shape, bool strict)
    {
        var set = new FieldSet();
        Walk(value, shape, [], set, strict);
        return set;
    }

    private static void Walk(JsonNode? value, ITypeShape shape, List<PathElement> path, FieldSet set, bool strict)
    {
        switch (value)
        {
            case JsonObject obj:
                if (shape.IsAtomicMap)
                {
                    Insert(set, path);
                    return;
                }

                foreach (var (key, child) in obj)
                {
                    path.Add(PathElement.Field(key));
                    Walk(child, shape.Field(key), path, set, strict);
                    if (child is null || child is JsonObject { Count: 0 } || !shape.IsNamedField(key))
                    {
                        Insert(set, path);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return;
            case JsonArray array:
                if (shape.ListType == ListType.Atomic)
                {
                    Insert(set, path);
                    return;
                }

                var seen = new HashSet<PathElement>();
                foreach (var item in array)
                {
                    var pe = ItemElement(shape, item, strict);
                    if (pe is null)
                    {
                        continue;
                    }

                    if (!seen.Add(pe) && strict)
                    {
                        throw new PatchException($"{Render(path)}: duplicate entries for key {pe}");
                    }

                    path.Add(pe);
                    Walk(item, shape.Items, path, set, strict);
                    Insert(set, path);
                    path.RemoveAt(path.Count - 1);
                }

                return;
            default:
                Insert(set, path);
                return;
        }
    }

    private static void Insert(FieldSet set, List<PathElement> path)
    {
        if (path.Count > 0)
        {
            set.Insert(path);
        }
    }

    internal static string Render(IEnumerable<PathElement> path) => string.Concat(path.Select(p => p.ToString()));

    /// <summary>listItemToPathElement: a set item by value, a map item by its key fields (or their defaults).</summary>
    internal static PathElement? ItemElement(ITypeShape list, JsonNode? item, bool strict)
    {
        if (list.ListType == ListType.Set || list.ListMapKeys.Count == 0)
        {
            return PathElement.ValueOf(item);
        }

        if (item is not JsonObject obj)
        {
            return strict ? throw new PatchException("associative list with keys may not have non-map elements") : null;
        }

        var key = new List<(string, JsonNode?)>();
        foreach (var name in list.ListMapKeys)
        {
            if (obj.TryGetPropertyValue(name, out var v))
            {
                key.Add((name, v));
            }
            else if (list.KeyDefault(name) is { } d)
            {
                key.Add((name, d));
            }
            else
            {
                return strict
                    ? throw new PatchException($"associative list with keys has an element that omits key field \"{name}\" (and doesn't have default value)")
                    : null;
            }
        }

        return PathElement.KeyOf(key);
    }

    /// <summary>Adds every declared struct field along the set's paths as a member (a set with a.b.c also owns a).</summary>
    public static FieldSet EnsureNamedFieldsAreMembers(FieldSet set, ITypeShape shape)
    {
        var members = set.Members.ToList();
        var children = new List<KeyValuePair<PathElement, FieldSet>>();
        foreach (var (pe, child) in set.Children)
        {
            if (pe.Kind == PathElementKind.Field && shape.IsNamedField(pe.Name!))
            {
                members.Add(pe);
            }

            children.Add(new(pe, EnsureNamedFieldsAreMembers(child, ChildShape(shape, pe))));
        }

        return FieldSet.Create(members, children);
    }

    internal static ITypeShape ChildShape(ITypeShape shape, PathElement pe) =>
        pe.Kind == PathElementKind.Field ? shape.Field(pe.Name!) : shape.Items;

    /// <summary>
    /// A copy of <paramref name="value"/> without the items of <paramref name="toRemove"/>. Upstream leaves a
    /// null where a map or list lost its last item; the apiserver then drops such nulls (typed decoding, or
    /// PruneNonNullableNullsWithoutDefaults for custom resources), so the key is removed here at once.
    /// </summary>
    public static JsonNode? RemoveItems(JsonNode? value, FieldSet toRemove, ITypeShape shape)
    {
        if (toRemove.IsEmpty)
        {
            return JsonNodes.Clone(value);
        }

        switch (value)
        {
            case JsonObject obj:
                if (obj.Count == 0 || shape.IsAtomicMap)
                {
                    return null;
                }

                var result = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var pe = PathElement.Field(key);
                    if (toRemove.HasMember(pe))
                    {
                        continue;
                    }

                    var sub = toRemove.WithPrefix(pe);
                    if (sub.IsEmpty)
                    {
                        result[key] = JsonNodes.Clone(child);
                    }
                    else if (RemoveItems(child, sub, shape.Field(key)) is { } kept)
                    {
                        result[key] = kept;
                    }
                }

                return result.Count > 0 ? result : null;
            case JsonArray array:
                if (array.Count == 0 || shape.ListType == ListType.Atomic)
                {
                    return null;
                }

                var items = new JsonArray();
                foreach (var item in array)
                {
                    var pe = ItemElement(shape, item, strict: false);
                    if (pe is null)
                    {
                        items.Add(JsonNodes.Clone(item));
                        continue;
                    }

                    if (toRemove.HasMember(pe))
                    {
                        continue;
                    }

                    var sub = toRemove.WithPrefix(pe);
                    items.Add(sub.IsEmpty ? JsonNodes.Clone(item) : RemoveItems(item, sub, shape.Items));
                }

                return items.Count > 0 ? items : null;
            default:
                return JsonNodes.Clone(value);
        }
    }
}
