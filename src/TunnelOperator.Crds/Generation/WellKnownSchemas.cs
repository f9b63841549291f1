using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Schemas of shared types this project does not own and so cannot annotate. Names, types and
/// required members still come from the C# type by reflection, so the schema follows the model;
/// the descriptions and constraints (those of meta/v1 Condition) are kept here.
/// </summary>
internal static class WellKnownSchemas
{
    private static readonly Dictionary<string, Func<JsonObject>> ConditionFields = new(StringComparer.Ordinal)
    {
        ["type"] = () => new()
        {
            ["description"] = "Kind of observation in CamelCase, e.g. Ready; unique within the list.",
            ["maxLength"] = 316,
            ["pattern"] = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
        },
        ["status"] = () => new()
        {
            ["description"] = "Whether the observation holds: True, False or Unknown.",
            ["enum"] = SchemaBuilder.Strings(["True", "False", "Unknown"]),
        },
        ["observedGeneration"] = () => new()
        {
            ["description"] = "The metadata.generation the observation was made against; older than the object's generation means the condition may be stale.",
            ["minimum"] = 0,
        },
        ["lastTransitionTime"] = () => new()
        {
            ["description"] = "When status last changed; it does not move while status stays the same.",
        },
        ["reason"] = () => new()
        {
            ["description"] = "Machine-readable cause of the last transition in CamelCase, e.g. EdgeNotFound.",
            ["minLength"] = 1,
            ["maxLength"] = 1024,
            ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
        },
        ["message"] = () => new()
        {
            ["description"] = "Human-readable detail of the last transition.",
            ["maxLength"] = 32768,
        },
    };

    public static JsonObject Condition()
    {
        var properties = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var property in typeof(Condition).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = SchemaBuilder.JsonName(property);
            if (!ConditionFields.TryGetValue(name, out var extra))
            {
                throw new InvalidOperationException($"Condition.{property.Name} is new: describe it in {nameof(WellKnownSchemas)}");
            }

            var schema = SchemaBuilder.ForType(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
            foreach (var (key, value) in extra())
            {
                schema[key] = value?.DeepClone();
            }

            properties[name] = SchemaBuilder.Ordered(schema);
            if (property.IsDefined(typeof(RequiredMemberAttribute)))
            {
                required.Add(name);
            }
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        foreach (var (name, schema) in properties)
        {
            result["properties"]![name] = schema;
        }

        required.Sort(StringComparer.Ordinal);
        result["required"] = SchemaBuilder.Strings(required);
        return result;
    }
}
