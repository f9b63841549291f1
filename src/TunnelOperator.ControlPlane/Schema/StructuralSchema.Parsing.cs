using System.Text.Json;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>Reading JSONSchemaProps keywords, strictly typed as the apiextensions API types them.</summary>
public sealed partial class StructuralSchema
{
    private static StructuralSchema ParseNode(JsonObject obj, string path)
    {
        var properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        var order = new List<string>();
        if (obj["properties"] is { } propsNode)
        {
            if (propsNode is not JsonObject props)
            {
                throw new SchemaException($"{path}.properties must be an object");
            }

            foreach (var (name, value) in props)
            {
                if (value is not JsonObject child)
                {
                    throw new SchemaException($"{path}.properties[{name}] must be an object");
                }

                properties[name] = ParseNode(child, $"{path}.properties[{name}]");
                order.Add(name);
            }
        }

        StructuralSchema? items = null;
        if (obj["items"] is { } itemsNode)
        {
            items = itemsNode switch
            {
                JsonObject io => ParseNode(io, path + ".items"),
                // JSONSchemaPropsOrArray: the array form is only allowed by the type, never by CRD validation.
                JsonArray { Count: > 0 } ia when ia[0] is JsonObject first => ParseNode(first, path + ".items[0]"),
                _ => throw new SchemaException($"{path}.items must be an object"),
            };
        }

        StructuralSchema? additional = null;
        bool? additionalAllowed = null;
        switch (obj["additionalProperties"])
        {
            case null:
                break;
            case JsonObject ao:
                additional = ParseNode(ao, path + ".additionalProperties");
                break;
            case JsonValue av when JsonNodes.GetBool(av) is { } allowed:
                additionalAllowed = allowed;
                break;
            default:
                throw new SchemaException($"{path}.additionalProperties must be an object or a boolean");
        }

        var hasDefault = obj.TryGetPropertyValue("default", out var defaultValue);

        return new StructuralSchema
        {
            Raw = obj,
            Type = OptionalString(obj, "type", path) ?? "",
            Properties = properties,
            PropertyOrder = order,
            Items = items,
            AdditionalProperties = additional,
            AdditionalPropertiesAllowed = additionalAllowed,
            Required = StringList(obj, "required", path),
            Enum = obj["enum"] switch
            {
                null => null,
                JsonArray e => e.Select(JsonNodes.Clone).ToList(),
                _ => throw new SchemaException($"{path}.enum must be an array"),
            },
            Pattern = OptionalString(obj, "pattern", path),
            Minimum = OptionalNumber(obj, "minimum", path),
            Maximum = OptionalNumber(obj, "maximum", path),
            ExclusiveMinimum = OptionalBool(obj, "exclusiveMinimum", path),
            ExclusiveMaximum = OptionalBool(obj, "exclusiveMaximum", path),
            MultipleOf = OptionalNumber(obj, "multipleOf", path),
            MinLength = OptionalInteger(obj, "minLength", path),
            MaxLength = OptionalInteger(obj, "maxLength", path),
            MinItems = OptionalInteger(obj, "minItems", path),
            MaxItems = OptionalInteger(obj, "maxItems", path),
            UniqueItems = OptionalBool(obj, "uniqueItems", path),
            MinProperties = OptionalInteger(obj, "minProperties", path),
            MaxProperties = OptionalInteger(obj, "maxProperties", path),
            Format = OptionalString(obj, "format", path),
            Default = hasDefault ? JsonNodes.Clone(defaultValue) : null,
            HasDefault = hasDefault,
            Nullable = OptionalBool(obj, "nullable", path),
            Description = OptionalString(obj, "description", path),
            XPreserveUnknownFields = OptionalBool(obj, "x-kubernetes-preserve-unknown-fields", path),
            XIntOrString = OptionalBool(obj, "x-kubernetes-int-or-string", path),
            XEmbeddedResource = OptionalBool(obj, "x-kubernetes-embedded-resource", path),
            XListType = OptionalString(obj, "x-kubernetes-list-type", path),
            XListMapKeys = StringList(obj, "x-kubernetes-list-map-keys", path),
            XMapType = OptionalString(obj, "x-kubernetes-map-type", path),
            AllOf = SchemaList(obj, "allOf", path),
            AnyOf = SchemaList(obj, "anyOf", path),
            OneOf = SchemaList(obj, "oneOf", path),
            Not = obj["not"] switch
            {
                null => null,
                JsonObject no => ParseNode(no, path + ".not"),
                _ => throw new SchemaException($"{path}.not must be an object"),
            },
        };
    }

    private static string? OptionalString(JsonObject obj, string key, string path) => obj[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new SchemaException($"{path}.{key} must be a string"),
    };

    private static bool OptionalBool(JsonObject obj, string key, string path) => obj[key] switch
    {
        null => false,
        var v when JsonNodes.GetBool(v) is { } b => b,
        _ => throw new SchemaException($"{path}.{key} must be a boolean"),
    };

    private static double? OptionalNumber(JsonObject obj, string key, string path) => obj[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonNodes.GetDouble(v),
        _ => throw new SchemaException($"{path}.{key} must be a number"),
    };

    private static long? OptionalInteger(JsonObject obj, string key, string path) => obj[key] switch
    {
        null => null,
        JsonValue v when JsonNodes.TryGetInt64(v, out var l) => l,
        _ => throw new SchemaException($"{path}.{key} must be an integer"),
    };

    private static IReadOnlyList<string> StringList(JsonObject obj, string key, string path)
    {
        if (obj[key] is null)
        {
            return [];
        }

        if (obj[key] is not JsonArray array || array.Any(e => JsonNodes.GetString(e) is null))
        {
            throw new SchemaException($"{path}.{key} must be an array of strings");
        }

        return array.Select(e => JsonNodes.GetString(e)!).ToList();
    }

    private static IReadOnlyList<StructuralSchema> SchemaList(JsonObject obj, string key, string path)
    {
        if (obj[key] is null)
        {
            return [];
        }

        if (obj[key] is not JsonArray array)
        {
            throw new SchemaException($"{path}.{key} must be an array");
        }

        var result = new List<StructuralSchema>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o)
            {
                throw new SchemaException($"{path}.{key}[{i}] must be an object");
            }

            result.Add(ParseNode(o, $"{path}.{key}[{i}]"));
        }

        return result;
    }
}
