using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>The FieldsV1 encoding (structured-merge-diff fieldpath/serialize.go).</summary>
public sealed partial class FieldSet
{
    /// <summary>
    /// Decodes a managedFields entry's fieldsV1: each key a path element (<c>f:</c>, <c>k:</c>, <c>v:</c>,
    /// <c>i:</c>), <c>{}</c> a member without children, <c>"."</c> marking a member that also has children. Keys
    /// with an unknown prefix are dropped as upstream drops them. Throws <see cref="FormatException"/> on
    /// malformed input.
    /// </summary>
    public static FieldSet FromFieldsV1(JsonNode? fieldsV1)
    {
        if (fieldsV1 is null)
        {
            return Empty;
        }

        if (fieldsV1 is not JsonObject obj)
        {
            throw new FormatException("fieldsV1 must be a JSON object");
        }

        return Read(obj, out _) ?? Empty;
    }

    // Returns the child set (null when there is none) and whether the object marks its path as a member.
    private static FieldSet? Read(JsonObject obj, out bool isMember)
    {
        FieldSet? children = null;
        isMember = false;
        foreach (var (key, value) in obj)
        {
            if (key == ".")
            {
                isMember = true;
                continue;
            }

            if (PathElement.Deserialize(key) is not { } pe)
            {
                continue;
            }

            if (value is not JsonObject inner)
            {
                throw new FormatException($"fieldsV1 entry {key} must be a JSON object");
            }

            var grandchildren = Read(inner, out var childIsMember);
            children ??= new FieldSet();
            if (childIsMember)
            {
                children._members.Add(pe);
            }

            if (grandchildren is not null)
            {
                children._children[pe] = children._children.TryGetValue(pe, out var existing) ? existing.Union(grandchildren) : grandchildren;
            }
        }

        if (children is null)
        {
            isMember = true;
        }

        return children;
    }

    /// <summary>Encodes the set as fieldsV1, keys in upstream's order, so an unchanged set encodes byte for byte the same.</summary>
    public JsonObject ToFieldsV1()
    {
        var obj = new JsonObject();
        Write(obj, includeSelf: false);
        return obj;
    }

    /// <summary>
    /// The fieldsV1 bytes upstream writes (Go's JSON escaping: quotes as \", no \u0022). Serializers that
    /// escape more (System.Text.Json's default encoder) write the same JSON value with other bytes; use
    /// JavaScriptEncoder.UnsafeRelaxedJsonEscaping to match.
    /// </summary>
    public string ToFieldsV1Text() => Schema.JsonNodes.GoJson(ToFieldsV1());

    private void Write(JsonObject obj, bool includeSelf)
    {
        if (includeSelf && !IsEmpty)
        {
            obj["."] = new JsonObject();
        }

        // Members and children interleave in path element order; a path in both writes "." first.
        var keys = _members.Union(_children.Keys).Order();
        foreach (var pe in keys)
        {
            var inner = new JsonObject();
            if (_children.TryGetValue(pe, out var child))
            {
                child.Write(inner, includeSelf: _members.Contains(pe));
            }

            obj[pe.Serialize()] = inner;
        }
    }
}
