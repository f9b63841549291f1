using TunnelOperator.Kubernetes.Models.Core;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TunnelOperator.Crds.Tests.Support;

/// <summary>
/// Checks an openAPIV3Schema against the rules the API server applies when a CRD is created
/// (structural schemas, list types, defaults, int-or-string) plus the house rules of our
/// manifests (every field described, patterns that RE2 accepts, CEL rules that name real fields).
/// </summary>
internal static partial class StructuralSchemaChecker
{
    private static readonly HashSet<string> Types = ["object", "array", "string", "integer", "number", "boolean"];

    public static IReadOnlyList<string> Check(JsonObject root)
    {
        var errors = new List<string>();
        if (root["type"]?.GetValue<string>() != "object")
        {
            errors.Add("openAPIV3Schema: the root must be of type object");
        }

        if (root["properties"]?["metadata"] is JsonObject metadata && (metadata.Count != 1 || metadata["type"]?.GetValue<string>() != "object"))
        {
            errors.Add("metadata: only type object is allowed (the API server owns its schema)");
        }

        CheckNode(root, "openAPIV3Schema", isRoot: true, errors);
        return errors;
    }

    private static void CheckNode(JsonObject node, string path, bool isRoot, List<string> errors)
    {
        var type = node["type"]?.GetValue<string>();
        var intOrString = node["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var preserve = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;

        if (intOrString)
        {
            CheckIntOrString(node, path, errors);
        }
        else if (type is null && !preserve)
        {
            errors.Add($"{path}: no type (structural schemas type every node)");
        }
        else if (type is not null && !Types.Contains(type))
        {
            errors.Add($"{path}: unknown type {type}");
        }

        foreach (var junctor in new[] { "allOf", "oneOf", "not" }.Where(node.ContainsKey))
        {
            errors.Add($"{path}: {junctor} is not used in our schemas");
        }

        if (node.ContainsKey("anyOf") && !intOrString)
        {
            errors.Add($"{path}: anyOf outside the int-or-string form");
        }

        if (node.ContainsKey("nullable"))
        {
            errors.Add($"{path}: nullable is not used: optional fields are omitted, not null");
        }

        if (!isRoot && path != "openAPIV3Schema.properties.metadata" && node["description"] is null && !path.EndsWith(".items", StringComparison.Ordinal) && !path.EndsWith(".additionalProperties", StringComparison.Ordinal))
        {
            errors.Add($"{path}: no description (kubectl explain shows it)");
        }

        if (node["properties"] is JsonObject && node["additionalProperties"] is not null)
        {
            errors.Add($"{path}: properties and additionalProperties are mutually exclusive");
        }

        CheckKeywordsFitType(node, type, path, errors);
        CheckObject(node, path, errors);
        CheckArray(node, type, path, errors);
        CheckPattern(node, path, errors);
        CheckDefault(node, path, errors);
        CheckCelRules(node, path, errors);
    }

    private static void CheckIntOrString(JsonObject node, string path, List<string> errors)
    {
        if (node["type"] is not null)
        {
            errors.Add($"{path}: x-kubernetes-int-or-string must not set type");
        }

        if (node["anyOf"] is JsonArray anyOf && !JsonNode.DeepEquals(anyOf, JsonNode.Parse("""[{"type":"integer"},{"type":"string"}]""")))
        {
            errors.Add($"{path}: the anyOf of x-kubernetes-int-or-string must be exactly integer then string");
        }
    }

    private static void CheckKeywordsFitType(JsonObject node, string? type, string path, List<string> errors)
    {
        string[] stringOnly = ["pattern", "minLength", "maxLength"];
        string[] numberOnly = ["minimum", "maximum"];
        string[] arrayOnly = ["items", "minItems", "maxItems", "x-kubernetes-list-type", "x-kubernetes-list-map-keys"];
        string[] objectOnly = ["properties", "required", "additionalProperties", "minProperties", "maxProperties"];
        var intOrString = node["x-kubernetes-int-or-string"] is not null;
        foreach (var (keywords, allowed) in new[] { (stringOnly, type == "string" || intOrString), (numberOnly, type is "integer" or "number" || intOrString), (arrayOnly, type == "array"), (objectOnly, type == "object") })
        {
            foreach (var keyword in keywords.Where(k => node.ContainsKey(k) && !allowed))
            {
                errors.Add($"{path}: {keyword} does not apply to type {type}");
            }
        }

        if (node["enum"] is JsonArray values)
        {
            if (values.Count == 0)
            {
                errors.Add($"{path}: empty enum");
            }

            foreach (var value in values)
            {
                errors.AddRange(SchemaValidator.Validate(value, WithoutEnum(node), $"{path}.enum"));
            }
        }
    }

    private static void CheckObject(JsonObject node, string path, List<string> errors)
    {
        var properties = node["properties"] as JsonObject;
        foreach (var (name, child) in properties ?? [])
        {
            CheckNode((JsonObject)child!, $"{path}.properties.{name}", isRoot: false, errors);
        }

        foreach (var required in node["required"]?.AsArray() ?? [])
        {
            if (properties?.ContainsKey(required!.GetValue<string>()) != true)
            {
                errors.Add($"{path}: required field {required} is not among the properties");
            }
        }

        if (node["additionalProperties"] is JsonObject values)
        {
            CheckNode(values, $"{path}.additionalProperties", isRoot: false, errors);
        }
        else if (node["additionalProperties"] is not null)
        {
            errors.Add($"{path}: additionalProperties must be a schema");
        }
    }

    private static void CheckArray(JsonObject node, string? type, string path, List<string> errors)
    {
        if (type != "array")
        {
            return;
        }

        if (node["items"] is not JsonObject items)
        {
            errors.Add($"{path}: an array needs an items schema");
            return;
        }

        CheckNode(items, $"{path}.items", isRoot: false, errors);
        var listType = node["x-kubernetes-list-type"]?.GetValue<string>();
        var itemType = items["type"]?.GetValue<string>();
        switch (listType)
        {
            case "map":
                if (itemType != "object")
                {
                    errors.Add($"{path}: a map list needs object items");
                }

                var keys = node["x-kubernetes-list-map-keys"]?.AsArray() ?? [];
                if (keys.Count == 0)
                {
                    errors.Add($"{path}: a map list needs x-kubernetes-list-map-keys");
                }

                foreach (var key in keys.Select(k => k!.GetValue<string>()))
                {
                    var keySchema = items["properties"]?[key] as JsonObject;
                    var required = items["required"]?.AsArray().Any(r => r!.GetValue<string>() == key) == true;
                    if (keySchema is null)
                    {
                        errors.Add($"{path}: map key {key} is not a property of the items");
                    }
                    else if (!required && keySchema["default"] is null)
                    {
                        errors.Add($"{path}: map key {key} must be required or defaulted");
                    }
                    else if (keySchema["type"]?.GetValue<string>() is not ("string" or "integer" or "boolean" or "number"))
                    {
                        errors.Add($"{path}: map key {key} must be a scalar");
                    }
                }

                break;
            case "set" when itemType is "object" or "array":
                errors.Add($"{path}: a set needs scalar items");
                break;
            case "set" or "atomic":
                break;
            default:
                errors.Add($"{path}: x-kubernetes-list-type is {listType ?? "absent"}; state atomic, set or map");
                break;
        }

        if (node.ContainsKey("x-kubernetes-list-map-keys") && listType != "map")
        {
            errors.Add($"{path}: x-kubernetes-list-map-keys needs list type map");
        }
    }

    private static void CheckPattern(JsonObject node, string path, List<string> errors)
    {
        if (node["pattern"]?.GetValue<string>() is not { } pattern)
        {
            return;
        }

        try
        {
            _ = new Regex(pattern);
        }
        catch (ArgumentException e)
        {
            errors.Add($"{path}: pattern does not compile: {e.Message}");
        }

        if (NotInRe2().IsMatch(pattern))
        {
            errors.Add($"{path}: pattern {pattern} uses a construct Go's RE2 lacks (look-around, back-reference, atomic group)");
        }
    }

    [GeneratedRegex(@"\(\?[=!>]|\(\?<[=!]|\\[1-9]|\\k<|[*+?}][+]")]
    private static partial Regex NotInRe2();

    private static void CheckDefault(JsonObject node, string path, List<string> errors)
    {
        if (node["default"] is not { } defaultValue)
        {
            return;
        }

        // The API server validates a default after defaulting inside it, as it will be stored.
        var value = defaultValue.DeepClone();
        var schema = WithoutDefault(node);
        SchemaValidator.ApplyDefaults(value, schema);
        errors.AddRange(SchemaValidator.Validate(value, schema, $"{path}.default").Select(e => "default does not satisfy its schema: " + e));
    }

    private static void CheckCelRules(JsonObject node, string path, List<string> errors)
    {
        foreach (var rule in node["x-kubernetes-validations"]?.AsArray() ?? [])
        {
            var text = rule?["rule"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(rule?["message"]?.GetValue<string>()))
            {
                errors.Add($"{path}: a CEL rule needs a rule and a message");
                continue;
            }

            foreach (Match reference in SelfReference().Matches(text))
            {
                var segments = reference.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries).ToList();
                if (reference.Index + reference.Length < text.Length && text[reference.Index + reference.Length] == '(')
                {
                    segments.RemoveAt(segments.Count - 1); // a method call such as .startsWith(
                }

                if (!Resolves(node, segments))
                {
                    errors.Add($"{path}: CEL rule '{text}' names self.{string.Join('.', segments)}, which the schema lacks");
                }
            }

            if (rule?["fieldPath"]?.GetValue<string>() is { } fieldPath && !Resolves(node, fieldPath.Split('.', StringSplitOptions.RemoveEmptyEntries).ToList()))
            {
                errors.Add($"{path}: CEL fieldPath {fieldPath} is not a field of the schema");
            }
        }
    }

    [GeneratedRegex(@"\bself((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex SelfReference();

    internal static bool Resolves(JsonObject schema, IReadOnlyList<string> segments)
    {
        var current = schema;
        foreach (var segment in segments)
        {
            if (current["properties"]?[segment] is not JsonObject next)
            {
                return false;
            }

            current = next;
        }

        return true;
    }

    private static JsonObject WithoutDefault(JsonObject node)
    {
        var copy = (JsonObject)node.DeepClone();
        copy.Remove("default");
        return copy;
    }

    private static JsonObject WithoutEnum(JsonObject node)
    {
        var copy = WithoutDefault(node);
        copy.Remove("enum");
        return copy;
    }
}
