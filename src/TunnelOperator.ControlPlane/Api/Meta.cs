using System.Globalization;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>Accessors for <c>metadata</c> of objects held as <see cref="JsonObject"/>.</summary>
internal static class Meta
{
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }

        m = new JsonObject();
        obj["metadata"] = m;
        return m;
    }

    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer from a node, whether parsed from JSON or built in code (int, long, or an integral double).</summary>
    public static long? Long(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (v.TryGetValue<double>(out var d) && Math.Floor(d) == d && Math.Abs(d) < 9e15)
        {
            return (long)d;
        }

        return null;
    }

    public static string Name(JsonObject obj) => Str(obj["metadata"]?["name"]) ?? "";

    public static string Namespace(JsonObject obj) => Str(obj["metadata"]?["namespace"]) ?? "";

    public static string Uid(JsonObject obj) => Str(obj["metadata"]?["uid"]) ?? "";

    public static string ResourceVersion(JsonObject obj) => Str(obj["metadata"]?["resourceVersion"]) ?? "";

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(Str).Where(s => s is not null).Select(s => s!)] : [];

    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        var m = Metadata(obj);
        if (list.Count == 0)
        {
            m.Remove("finalizers");
        }
        else
        {
            m["finalizers"] = new JsonArray([.. list.Select(f => (JsonNode?)JsonValue.Create(f))]);
        }
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) => StringMap(obj["metadata"]?["labels"]);

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                result[k] = Str(v) ?? v?.ToJsonString() ?? "";
            }
        }

        return result;
    }

    public static JsonArray OwnerReferences(JsonObject obj) => obj["metadata"]?["ownerReferences"] as JsonArray ?? [];

    /// <summary>meta/v1 Time: RFC 3339, UTC, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(JsonNode? node) =>
        Str(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    public static long ParseResourceVersion(string? rv) =>
        long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;

    /// <summary>Deep equality of two JSON trees, ignoring property order.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
