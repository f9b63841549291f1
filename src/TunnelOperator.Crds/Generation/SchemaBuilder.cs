using TunnelOperator.Kubernetes.Models.Core;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TunnelOperator.Crds.Common;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Builds a structural OpenAPI v3 schema (apiextensions.k8s.io/v1 JSONSchemaProps) from record
/// types by reflection. The C# type is the contract: nullable members are optional, members
/// declared <c>required</c> are required, and the JSON names are those the serializer uses.
/// Attributes add what C# cannot say (patterns, bounds, defaults, list semantics, CEL rules).
/// </summary>
internal static class SchemaBuilder
{
    /// <summary>The schema of a root kind: apiVersion, kind, metadata, then its own properties.</summary>
    public static JsonObject ForRoot(Type rootType)
    {
        var description = rootType.GetCustomAttribute<DescriptionAttribute>()?.Text
            ?? throw new InvalidOperationException($"{rootType.Name} has no [Description]");
        var properties = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            ["apiVersion"] = Node("string", "Versioned schema of this representation of the object; the API server converts between versions and rejects unknown ones."),
            ["kind"] = Node("string", "The REST resource this object represents, in CamelCase; the API server infers it from the endpoint a client submits to."),
            ["metadata"] = new JsonObject { ["type"] = "object" },
        };

        var required = new List<string>();
        foreach (var property in OwnProperties(rootType))
        {
            AddProperty(rootType, property, properties, required);
        }

        return Ordered(new JsonObject
        {
            ["description"] = description,
            ["type"] = "object",
            ["properties"] = ToObject(properties),
            ["required"] = Strings(required),
        });
    }

    private static JsonObject Node(string type, string description) => new() { ["description"] = description, ["type"] = type };

    private static IEnumerable<PropertyInfo> OwnProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null);

    internal static void AddProperty(Type owner, PropertyInfo property, IDictionary<string, JsonNode> properties, List<string> required)
    {
        var name = JsonName(property);
        var description = property.GetCustomAttribute<DescriptionAttribute>()?.Text
            ?? throw new InvalidOperationException($"{owner.Name}.{property.Name} has no [Description]: every field needs one for kubectl explain");
        var schema = ForProperty(property);
        schema["description"] = description;
        properties[name] = Ordered(schema);
        if (property.IsDefined(typeof(RequiredMemberAttribute)))
        {
            required.Add(name);
        }
    }

    /// <summary>The JSON name System.Text.Json gives the property under our context's camelCase policy.</summary>
    internal static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static JsonObject ForProperty(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var preserve = property.IsDefined(typeof(PreserveUnknownFieldsAttribute));

        // Free-form JSON (another API's object) is an object the server keeps as written.
        var schema = preserve && (type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type))
            ? new JsonObject { ["type"] = "object" }
            : ForType(type);

        // Scalar constraints on a list or map constrain its entries: [Pattern] on a list of
        // hostnames is a pattern for each hostname, and [Items] bounds the list itself.
        var scalar = schema["items"] as JsonObject ?? schema["additionalProperties"] as JsonObject ?? schema;
        ApplyScalarConstraints(property, scalar);

        if (property.GetCustomAttribute<ItemsAttribute>() is { } items)
        {
            var (min, max) = schema["type"]?.GetValue<string>() == "array" ? ("minItems", "maxItems") : ("minProperties", "maxProperties");
            if (items.Minimum > 0)
            {
                schema[min] = items.Minimum;
            }

            schema[max] = items.Maximum;
        }

        if (property.GetCustomAttribute<ListMapKeysAttribute>() is { } mapKeys)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = Strings(mapKeys.Keys);
        }
        else if (property.IsDefined(typeof(ListSetAttribute)))
        {
            schema["x-kubernetes-list-type"] = "set";
        }
        else if (schema["type"]?.GetValue<string>() == "array")
        {
            // Stated rather than implied, so server-side apply's treatment of the list is visible.
            schema["x-kubernetes-list-type"] = "atomic";
        }

        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            if (property.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) != false)
            {
                throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name} has a [Default] but no plain setter: see {nameof(DefaultAttribute)}");
            }

            schema["default"] = DefaultNode(property, defaultValue.Value);
        }

        if (preserve)
        {
            schema["x-kubernetes-preserve-unknown-fields"] = true;
        }

        AddCelRules(property.GetCustomAttributes<CelRuleAttribute>(), schema);
        return schema;
    }

    private static void ApplyScalarConstraints(PropertyInfo property, JsonObject scalar)
    {
        if (property.GetCustomAttribute<EnumAttribute>() is { } values)
        {
            scalar["enum"] = Strings(values.Values);
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            scalar["minimum"] = range.Minimum;
            scalar["maximum"] = range.Maximum;
        }

        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
        {
            scalar["minimum"] = minimum.Minimum;
        }

        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            if (length.Minimum > 0)
            {
                scalar["minLength"] = length.Minimum;
            }

            scalar["maxLength"] = length.Maximum;
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            scalar["pattern"] = pattern.Regex;
        }

        Ordered(scalar);
    }

    internal static JsonObject ForType(Type type)
    {
        if (type == typeof(string))
        {
            return new() { ["type"] = "string" };
        }

        if (type == typeof(bool))
        {
            return new() { ["type"] = "boolean" };
        }

        if (type == typeof(int))
        {
            return new() { ["type"] = "integer", ["format"] = "int32" };
        }

        if (type == typeof(long))
        {
            return new() { ["type"] = "integer", ["format"] = "int64" };
        }

        if (type == typeof(DateTimeOffset))
        {
            return new() { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(IntOrString))
        {
            // The one anyOf a structural schema allows: no type of its own, both branches bare.
            return new()
            {
                ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                ["x-kubernetes-int-or-string"] = true,
            };
        }

        if (type == typeof(Condition))
        {
            return WellKnownSchemas.Condition();
        }

        if (type.IsEnum)
        {
            return new() { ["type"] = "string", ["enum"] = Strings(EnumNames(type)) };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            return new() { ["type"] = "array", ["items"] = Ordered(ForType(type.GetGenericArguments()[0])) };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            if (type.GetGenericArguments()[0] != typeof(string))
            {
                throw new InvalidOperationException($"{type}: JSON object keys are strings");
            }

            return new() { ["type"] = "object", ["additionalProperties"] = Ordered(ForType(type.GetGenericArguments()[1])) };
        }

        if (type.IsClass && type.Namespace?.StartsWith("TunnelOperator.Crds", StringComparison.Ordinal) == true)
        {
            return ForRecord(type);
        }

        throw new InvalidOperationException($"{type} has no schema mapping: use string, bool, int, long, DateTimeOffset, IntOrString, an enum, IReadOnlyList<T>, IReadOnlyDictionary<string, T> or a record of this project");
    }

    private static JsonObject ForRecord(Type type)
    {
        var properties = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var property in OwnProperties(type))
        {
            AddProperty(type, property, properties, required);
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = ToObject(properties) };
        if (required.Count > 0)
        {
            required.Sort(StringComparer.Ordinal);
            schema["required"] = Strings(required);
        }

        AddCelRules(type.GetCustomAttributes<CelRuleAttribute>(), schema);
        return schema;
    }

    private static void AddCelRules(IEnumerable<CelRuleAttribute> rules, JsonObject schema)
    {
        var array = new JsonArray();
        foreach (var rule in rules)
        {
            var entry = new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message };
            if (rule.FieldPath is not null)
            {
                entry["fieldPath"] = rule.FieldPath;
            }

            array.Add(entry);
        }

        if (array.Count > 0)
        {
            schema["x-kubernetes-validations"] = array;
        }
    }

    /// <summary>The wire names of an enum's members; each must be spelled out, never left to a naming policy.</summary>
    internal static IReadOnlyList<string> EnumNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{enumType.Name}.{f.Name} has no [JsonStringEnumMemberName]"))
            .ToList();

    private static JsonNode DefaultNode(PropertyInfo property, object? value) => value switch
    {
        null => new JsonObject(),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        string s => JsonValue.Create(s),
        Enum e => JsonValue.Create(EnumName(e)),
        _ => throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: unsupported default {value}"),
    };

    internal static string EnumName(Enum value)
    {
        var field = value.GetType().GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{value} is not a single member of {value.GetType().Name}");
        return field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{value.GetType().Name}.{field.Name} has no [JsonStringEnumMemberName]");
    }

    private static JsonObject ToObject(SortedDictionary<string, JsonNode> properties)
    {
        var result = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            result[name] = schema;
        }

        return result;
    }

    internal static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    /// <summary>Schema keywords in one fixed order: what a field is first, then its children, then extensions.</summary>
    private static readonly string[] KeywordOrder =
    [
        "description", "type", "format", "enum", "default",
        "minimum", "maximum", "minLength", "maxLength", "pattern",
        "minItems", "maxItems", "minProperties", "maxProperties",
        "properties", "required", "additionalProperties", "items", "anyOf",
        "x-kubernetes-int-or-string", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations",
    ];

    internal static JsonObject Ordered(JsonObject schema)
    {
        var entries = schema.ToList();
        foreach (var key in entries.Select(e => e.Key))
        {
            if (Array.IndexOf(KeywordOrder, key) < 0)
            {
                throw new InvalidOperationException($"schema keyword {key} has no place in the keyword order");
            }
        }

        schema.Clear();
        foreach (var (key, value) in entries.OrderBy(e => Array.IndexOf(KeywordOrder, e.Key)))
        {
            schema[key] = value;
        }

        return schema;
    }
}
