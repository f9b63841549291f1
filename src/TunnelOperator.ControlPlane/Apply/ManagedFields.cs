using System.Globalization;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>Who a managedFields entry belongs to (fieldmanager BuildManagerIdentifier: Apply entries ignore the apiVersion).</summary>
internal sealed record ManagerKey(string Manager, string Operation, string ApiVersion, string Subresource);

internal sealed record ManagedEntry(FieldSet Set, string ApiVersion, string? Time);

/// <summary>
/// Decoding and encoding metadata.managedFields (k8s.io/apimachinery/pkg/util/managedfields/internal
/// managedfields.go): entries keyed by manager identity, sorted by operation, time, manager, apiVersion and
/// subresource when written.
/// </summary>
internal static class ManagedFields
{
    public static Dictionary<ManagerKey, ManagedEntry> Decode(JsonNode? managedFields)
    {
        var result = new Dictionary<ManagerKey, ManagedEntry>();
        if (managedFields is not JsonArray entries)
        {
            return result;
        }

        foreach (var entry in entries.OfType<JsonObject>())
        {
            var operation = JsonNodes.GetString(entry["operation"]) ?? "";
            var apiVersion = JsonNodes.GetString(entry["apiVersion"]) ?? "";
            var key = Key(JsonNodes.GetString(entry["manager"]) ?? "", operation, apiVersion, JsonNodes.GetString(entry["subresource"]));
            FieldSet set;
            try
            {
                set = FieldSet.FromFieldsV1(entry["fieldsV1"]);
            }
            catch (FormatException)
            {
                continue;
            }

            result[key] = result.TryGetValue(key, out var existing)
                ? existing with { Set = existing.Set.Union(set) }
                : new ManagedEntry(set, apiVersion, JsonNodes.GetString(entry["time"]));
        }

        return result;
    }

    /// <summary>A client resetting managedFields sends exactly <c>[{}]</c>.</summary>
    public static bool IsReset(JsonNode? managedFields) => managedFields is JsonArray { Count: 1 } a && a[0] is JsonObject { Count: 0 };

    public static ManagerKey Key(string manager, string operation, string apiVersion, string? subresource) =>
        new(manager, operation, operation == "Apply" ? "" : apiVersion, subresource ?? "");

    public static JsonArray? Encode(Dictionary<ManagerKey, ManagedEntry> managers)
    {
        if (managers.Count == 0)
        {
            return null;
        }

        var ordered = managers
            .OrderBy(m => m.Key.Operation, StringComparer.Ordinal)
            .ThenBy(m => Seconds(m.Value.Time))
            .ThenBy(m => m.Key.Manager, StringComparer.Ordinal)
            .ThenBy(m => m.Value.ApiVersion, StringComparer.Ordinal)
            .ThenBy(m => m.Key.Subresource, StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var (key, entry) in ordered)
        {
            var obj = new JsonObject { ["manager"] = key.Manager, ["operation"] = key.Operation };
            if (entry.ApiVersion.Length > 0)
            {
                obj["apiVersion"] = entry.ApiVersion;
            }

            if (entry.Time is not null)
            {
                obj["time"] = entry.Time;
            }

            obj["fieldsType"] = "FieldsV1";
            obj["fieldsV1"] = entry.Set.ToFieldsV1();
            if (key.Subresource.Length > 0)
            {
                obj["subresource"] = key.Subresource;
            }

            array.Add(obj);
        }

        return array;
    }

    public static string Time(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static long Seconds(string? time) =>
        time is not null && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUnixTimeSeconds() : 0;

    /// <summary>
    /// The fields never recorded (fieldmanager stripmeta.go): apiVersion, kind, metadata itself and the
    /// system-set metadata fields.
    /// </summary>
    public static FieldSet StripSet { get; } = FieldSet.FromPaths(new[]
    {
        new[] { "apiVersion" }, ["kind"], ["metadata"], ["metadata", "name"], ["metadata", "namespace"],
        ["metadata", "creationTimestamp"], ["metadata", "selfLink"], ["metadata", "uid"], ["metadata", "clusterName"],
        ["metadata", "generation"], ["metadata", "managedFields"], ["metadata", "resourceVersion"],
    }.Select(p => (IReadOnlyList<PathElement>)p.Select(PathElement.Field).ToList()));
}
