using TunnelOperator.Kubernetes.Models.Core;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TunnelOperator.Crds.Tests.Support;

/// <summary>
/// Validates and defaults a JSON value against an OpenAPI v3 structural schema the way the API
/// server does for a custom resource (apiextensions-apiserver's defaulting and kube-openapi's
/// validation), for the keywords our manifests use. CEL rules are not evaluated here; the specs'
/// C# twins of them are tested on their own. Unknown fields are reported instead of pruned, so
/// a sample with a typo fails.
/// </summary>
internal static class SchemaValidator
{
    public static IReadOnlyList<string> Validate(JsonNode? value, JsonObject schema, string path = "")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    /// <summary>Fills absent fields from their defaults, outside in, as the API server does on read and write.</summary>
    public static void ApplyDefaults(JsonNode? value, JsonObject schema)
    {
        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, propertySchema) in properties)
                {
                    var child = (JsonObject)propertySchema!;
                    if (obj[name] is null && child["default"] is { } defaultValue)
                    {
                        obj[name] = defaultValue.DeepClone();
                    }

                    ApplyDefaults(obj[name], child);
                }

                break;
            case JsonObject obj when schema["additionalProperties"] is JsonObject values:
                foreach (var (_, child) in obj)
                {
                    ApplyDefaults(child, values);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                {
                    ApplyDefaults(item, items);
                }

                break;
        }
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            CheckIntOrString(value, schema, path, errors);
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        switch (type)
        {
            case "object" when value is JsonObject obj:
                CheckObject(obj, schema, path, errors);
                break;
            case "array" when value is JsonArray array:
                CheckArray(array, schema, path, errors);
                break;
            case "string" when value is JsonValue v && v.GetValueKind() == JsonValueKind.String:
                CheckString(v.GetValue<string>(), schema, path, errors);
                break;
            case "integer" when value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && IsIntegral(v):
                CheckInteger(Number(v), schema, path, errors);
                break;
            case "number" when value is JsonValue v && v.GetValueKind() == JsonValueKind.Number:
                break;
            case "boolean" when value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                break;
            default:
                errors.Add($"{path}: expected {type}, got {Describe(value)}");
                return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {allowed.ToJsonString()}");
        }
    }

    private static void CheckObject(JsonObject obj, JsonObject schema, string path, List<string> errors)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true && schema["properties"] is null)
        {
            return;
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (child is null || (path.Length == 0 && name == "metadata"))
            {
                // The API server prunes nulls of non-nullable fields before validating, and
                // validates metadata as ObjectMeta whatever the CRD says.
                continue;
            }

            if (properties?[name] is JsonObject propertySchema)
            {
                Check(child, propertySchema, childPath, errors);
            }
            else if (additional is not null)
            {
                Check(child, additional, $"{path}[{name}]", errors);
            }
            else
            {
                errors.Add($"{childPath}: unknown field");
            }
        }

        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            var name = required!.GetValue<string>();
            if (obj[name] is null)
            {
                errors.Add($"{(path.Length == 0 ? name : $"{path}.{name}")}: required");
            }
        }

        CheckCount(obj.Count(p => p.Value is not null), schema, "minProperties", "maxProperties", path, errors);
    }

    private static void CheckArray(JsonArray array, JsonObject schema, string path, List<string> errors)
    {
        var items = (JsonObject)schema["items"]!;
        for (var i = 0; i < array.Count; i++)
        {
            Check(array[i], items, $"{path}[{i}]", errors);
        }

        CheckCount(array.Count, schema, "minItems", "maxItems", path, errors);
        var identities = schema["x-kubernetes-list-type"]?.GetValue<string>() switch
        {
            "set" => array.Select(item => item?.ToJsonString() ?? "null").ToList(),
            "map" => array.Select(item => string.Join("|", schema["x-kubernetes-list-map-keys"]!.AsArray()
                .Select(k => (item as JsonObject)?[k!.GetValue<string>()]?.ToJsonString() ?? "null"))).ToList(),
            _ => null,
        };
        foreach (var duplicate in identities?.GroupBy(x => x).Where(g => g.Count() > 1) ?? [])
        {
            errors.Add($"{path}: duplicate entry {duplicate.Key}");
        }
    }

    private static void CheckString(string text, JsonObject schema, string path, List<string> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (schema["minLength"] is { } minNode && Number(minNode) is var min && length < min)
        {
            errors.Add($"{path}: shorter than {min}");
        }

        if (schema["maxLength"] is { } maxNode && Number(maxNode) is var max && length > max)
        {
            errors.Add($"{path}: longer than {max}");
        }

        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Re2Like(pattern).IsMatch(text))
        {
            errors.Add($"{path}: '{text}' does not match {pattern}");
        }

        if (schema["format"]?.GetValue<string>() == "date-time" &&
            !DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add($"{path}: '{text}' is not an RFC 3339 date-time");
        }
    }

    private static void CheckInteger(decimal number, JsonObject schema, string path, List<string> errors)
    {
        if (schema["minimum"] is { } minNode && Number(minNode) is var min && number < min)
        {
            errors.Add($"{path}: {number} is less than {min}");
        }

        if (schema["maximum"] is { } maxNode && Number(maxNode) is var max && number > max)
        {
            errors.Add($"{path}: {number} is greater than {max}");
        }

        var (low, high) = schema["format"]?.GetValue<string>() == "int32" ? (int.MinValue, int.MaxValue) : (long.MinValue, long.MaxValue);
        if (number < low || number > high)
        {
            errors.Add($"{path}: {number} overflows {schema["format"]}");
        }
    }

    private static void CheckIntOrString(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        switch (value)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                if (schema["pattern"]?.GetValue<string>() is { } pattern && !Re2Like(pattern).IsMatch(v.GetValue<string>()))
                {
                    errors.Add($"{path}: '{v}' does not match {pattern}");
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number && IsIntegral(v):
                CheckInteger(Number(v), schema, path, errors);
                break;
            default:
                errors.Add($"{path}: expected an integer or a string, got {Describe(value)}");
                break;
        }
    }

    private static void CheckCount(int count, JsonObject schema, string minKey, string maxKey, string path, List<string> errors)
    {
        if (schema[minKey] is { } minNode && Number(minNode) is var min && count < min)
        {
            errors.Add($"{path}: fewer than {min} entries");
        }

        if (schema[maxKey] is { } maxNode && Number(maxNode) is var max && count > max)
        {
            errors.Add($"{path}: more than {max} entries");
        }
    }

    /// <summary>
    /// RE2's <c>$</c> (without the m flag) matches only at the very end, where .NET's also matches
    /// before a final newline; a trailing <c>$</c> becomes <c>\z</c> to match RE2.
    /// </summary>
    internal static Regex Re2Like(string pattern) =>
        new(pattern.EndsWith('$') && !pattern.EndsWith("\\$", StringComparison.Ordinal) ? pattern[..^1] + "\\z" : pattern, RegexOptions.CultureInvariant);

    private static bool IsIntegral(JsonValue value) => Number(value) == decimal.Truncate(Number(value));

    /// <summary>Reads any JSON number, whatever CLR type backs the node.</summary>
    internal static decimal Number(JsonNode node) => decimal.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Describe(JsonNode? value) => value is null ? "null" : $"{value.GetValueKind()} {value.ToJsonString()}";
}
