using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>The JSON type of a node, with integers apart from other numbers as Go's decoder keeps them apart.</summary>
internal enum JsonKind
{
    Null,
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

/// <summary>
/// Helpers over System.Text.Json.Nodes shared by the algorithms. Numbers follow the apiserver's JSON decoding
/// (k8s.io/apimachinery/pkg/util/json): a literal that parses as int64 is an integer, anything else a float64.
/// </summary>
internal static class JsonNodes
{
    public static JsonKind Kind(JsonNode? node) => node switch
    {
        null => JsonKind.Null,
        JsonObject => JsonKind.Object,
        JsonArray => JsonKind.Array,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => JsonKind.String,
            JsonValueKind.True or JsonValueKind.False => JsonKind.Boolean,
            JsonValueKind.Number => TryGetInt64(v, out _) ? JsonKind.Integer : JsonKind.Number,
            JsonValueKind.Null => JsonKind.Null,
            _ => JsonKind.Null,
        },
        _ => JsonKind.Null,
    };

    public static bool IsNull(JsonNode? node) => Kind(node) == JsonKind.Null;

    public static bool TryGetInt64(JsonValue v, out long value)
    {
        value = 0;
        if (v.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.Number
                && long.TryParse(element.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        if (v.TryGetValue<long>(out value) || v.TryGetValue(out int i) && (value = i) == i)
        {
            return true;
        }

        if (v.TryGetValue<short>(out var s))
        {
            value = s;
            return true;
        }

        if (v.TryGetValue<uint>(out var ui))
        {
            value = ui;
            return true;
        }

        if (v.TryGetValue<ulong>(out var ul) && ul <= long.MaxValue)
        {
            value = (long)ul;
            return true;
        }

        return false;
    }

    public static double GetDouble(JsonValue v)
    {
        if (v.TryGetValue<JsonElement>(out var element))
        {
            return element.GetDouble();
        }

        if (TryGetInt64(v, out var l))
        {
            return l;
        }

        if (v.TryGetValue<double>(out var d))
        {
            return d;
        }

        if (v.TryGetValue<float>(out var f))
        {
            return f;
        }

        if (v.TryGetValue<decimal>(out var m))
        {
            return (double)m;
        }

        return double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
    }

    public static string? GetString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool? GetBool(JsonNode? node) =>
        node is JsonValue v ? v.GetValueKind() switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null } : null;

    /// <summary>
    /// Value equality as the apiserver's algorithms see it: objects ignore key order, numbers compare by value
    /// (an int64 1 equals a float64 1.0 as in structured-merge-diff's value.Equals).
    /// </summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        var ka = Kind(a);
        var kb = Kind(b);
        if (ka is JsonKind.Integer or JsonKind.Number && kb is JsonKind.Integer or JsonKind.Number)
        {
            var va = (JsonValue)a!;
            var vb = (JsonValue)b!;
            if (ka == JsonKind.Integer && kb == JsonKind.Integer)
            {
                TryGetInt64(va, out var la);
                TryGetInt64(vb, out var lb);
                return la == lb;
            }

            return GetDouble(va) == GetDouble(vb);
        }

        if (ka != kb)
        {
            return false;
        }

        switch (ka)
        {
            case JsonKind.Null:
                return true;
            case JsonKind.String:
                return GetString(a) == GetString(b);
            case JsonKind.Boolean:
                return GetBool(a) == GetBool(b);
            case JsonKind.Array:
                var xa = (JsonArray)a!;
                var xb = (JsonArray)b!;
                if (xa.Count != xb.Count)
                {
                    return false;
                }

                for (var i = 0; i < xa.Count; i++)
                {
                    if (!Equal(xa[i], xb[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JsonKind.Object:
                var oa = (JsonObject)a!;
                var ob = (JsonObject)b!;
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !Equal(value, other))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static readonly JsonSerializerOptions GoJsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Compact JSON the way Go's encoding/json writes it: no escaping of non-ASCII, but &lt;, &gt; and &amp; as
    /// \u003c, \u003e, \u0026 (they can only occur inside strings, so replacing them is safe).
    /// </summary>
    public static string GoJson(JsonNode? node) =>
        node is null ? "null" : node.ToJsonString(GoJsonOptions).Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);

    /// <summary>A deep copy that is detached from any parent (JsonNode can have only one).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Sets a property, replacing the value in place when the key exists so key order is kept.</summary>
    public static void Set(JsonObject obj, string key, JsonNode? value)
    {
        if (value?.Parent is not null)
        {
            value = value.DeepClone();
        }

        obj[key] = value;
    }

    /// <summary>Detaches a node from its parent so it can be placed elsewhere.</summary>
    public static JsonNode? Detach(JsonNode? node)
    {
        if (node?.Parent is null)
        {
            return node;
        }

        return node.DeepClone();
    }
}
