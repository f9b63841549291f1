using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Apply;

internal enum PathElementKind
{
    Field = 0,
    Key = 1,
    Value = 2,
    Index = 3,
}

/// <summary>
/// One step of a field path (sigs.k8s.io/structured-merge-diff fieldpath.PathElement): a struct or map field,
/// the key fields of an associative list item, the value of a set item, or a list index. Ordered as upstream
/// orders them (fields, keys, values, indices; values by value.Compare), which is the order fieldsV1 is written in.
/// </summary>
internal sealed class PathElement : IComparable<PathElement>, IEquatable<PathElement>
{
    private PathElement(PathElementKind kind, string? name, IReadOnlyList<(string Name, JsonNode? Value)>? key, JsonNode? value, int index)
    {
        Kind = kind;
        Name = name;
        Key = key;
        Value = value;
        Index = index;
    }

    public PathElementKind Kind { get; }

    public string? Name { get; }

    /// <summary>Key fields sorted by name.</summary>
    public IReadOnlyList<(string Name, JsonNode? Value)>? Key { get; }

    public JsonNode? Value { get; }

    public int Index { get; }

    public static PathElement Field(string name) => new(PathElementKind.Field, name, null, null, 0);

    public static PathElement KeyOf(IEnumerable<(string Name, JsonNode? Value)> fields) =>
        new(PathElementKind.Key, null, fields.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (f.Name, JsonNodes.Clone(f.Value))).ToList(), null, 0);

    public static PathElement ValueOf(JsonNode? value) => new(PathElementKind.Value, null, null, JsonNodes.Clone(value), 0);

    public static PathElement IndexOf(int index) => new(PathElementKind.Index, null, null, null, index);

    /// <summary>The fieldsV1 key: <c>f:name</c>, <c>k:{"name":"web"}</c>, <c>v:"value"</c>, <c>i:0</c> (fieldpath/serialize-pe.go).</summary>
    public string Serialize() => Kind switch
    {
        PathElementKind.Field => "f:" + Name,
        PathElementKind.Key => "k:" + KeyJson(),
        PathElementKind.Value => "v:" + JsonNodes.GoJson(Value),
        _ => "i:" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a fieldsV1 key; null for an unknown prefix (upstream drops those).</summary>
    public static PathElement? Deserialize(string text)
    {
        if (text.Length < 2 || text[1] != ':')
        {
            return null;
        }

        var body = text[2..];
        switch (text[0])
        {
            case 'f':
                return Field(body);
            case 'v':
                return ValueOf(ParseJson(body, text));
            case 'i':
                return int.TryParse(body, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i)
                    ? IndexOf(i)
                    : throw new FormatException($"invalid index path element {text}");
            case 'k':
                if (ParseJson(body, text) is not JsonObject obj)
                {
                    throw new FormatException($"invalid key path element {text}");
                }

                return KeyOf(obj.Select(p => (p.Key, p.Value)));
            default:
                return null;
        }
    }

    /// <summary>fieldpath.PathElement.String(): <c>.name</c>, <c>[name="web"]</c>, <c>[="v"]</c>, <c>[0]</c>.</summary>
    public override string ToString() => Kind switch
    {
        PathElementKind.Field => "." + Name,
        PathElementKind.Key => "[" + string.Join(",", Key!.Select(k => $"{k.Name}={JsonNodes.GoJson(k.Value)}")) + "]",
        PathElementKind.Value => $"[={JsonNodes.GoJson(Value)}]",
        _ => $"[{Index}]",
    };

    public int CompareTo(PathElement? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }

        switch (Kind)
        {
            case PathElementKind.Field:
                return string.CompareOrdinal(Name, other.Name);
            case PathElementKind.Key:
                for (var i = 0; ; i++)
                {
                    if (i >= Key!.Count || i >= other.Key!.Count)
                    {
                        return Key.Count.CompareTo(other.Key!.Count);
                    }

                    var c = string.CompareOrdinal(Key[i].Name, other.Key[i].Name);
                    if (c == 0)
                    {
                        c = CompareValues(Key[i].Value, other.Key[i].Value);
                    }

                    if (c != 0)
                    {
                        return c;
                    }
                }

            case PathElementKind.Value:
                return CompareValues(Value, other.Value);
            default:
                return Index.CompareTo(other.Index);
        }
    }

    public bool Equals(PathElement? other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is PathElement other && Equals(other);

    public override int GetHashCode() => Serialize().GetHashCode(StringComparison.Ordinal);

    /// <summary>value.Compare: numbers, then strings, booleans, lists, maps, null.</summary>
    internal static int CompareValues(JsonNode? a, JsonNode? b)
    {
        static int Rank(JsonKind k) => k switch
        {
            JsonKind.Integer or JsonKind.Number => 0,
            JsonKind.String => 1,
            JsonKind.Boolean => 2,
            JsonKind.Array => 3,
            JsonKind.Object => 4,
            _ => 5,
        };

        var ka = JsonNodes.Kind(a);
        var kb = JsonNodes.Kind(b);
        if (Rank(ka) != Rank(kb))
        {
            return Rank(ka).CompareTo(Rank(kb));
        }

        switch (ka)
        {
            case JsonKind.Integer or JsonKind.Number:
                return JsonNodes.GetDouble((JsonValue)a!).CompareTo(JsonNodes.GetDouble((JsonValue)b!));
            case JsonKind.String:
                return string.CompareOrdinal(JsonNodes.GetString(a), JsonNodes.GetString(b));
            case JsonKind.Boolean:
                return JsonNodes.GetBool(a)!.Value.CompareTo(JsonNodes.GetBool(b)!.Value);
            case JsonKind.Array:
                var la = (JsonArray)a!;
                var lb = (JsonArray)b!;
                for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
                {
                    var c = CompareValues(la[i], lb[i]);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return la.Count.CompareTo(lb.Count);
            case JsonKind.Object:
                return string.CompareOrdinal(Canonical(a), Canonical(b));
            default:
                return 0;
        }
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonValue.Create(p.Key).ToJsonString() + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        _ => node?.ToJsonString() ?? "null",
    };

    private string KeyJson()
    {
        var b = new StringBuilder("{");
        for (var i = 0; i < Key!.Count; i++)
        {
            if (i > 0)
            {
                b.Append(',');
            }

            b.Append(JsonNodes.GoJson(JsonValue.Create(Key[i].Name))).Append(':').Append(JsonNodes.GoJson(Key[i].Value));
        }

        return b.Append('}').ToString();
    }

    private static JsonNode? ParseJson(string body, string text)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"invalid path element {text}", e);
        }
    }
}
