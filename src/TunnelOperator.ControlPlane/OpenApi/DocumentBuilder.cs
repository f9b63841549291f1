using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.OpenApi;

/// <summary>Collects the definitions and paths of CRD versions for one document (v3 or v2).</summary>
internal sealed partial class DocumentBuilder(bool v3)
{
    private const string MetadataDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    private const string ListMetadataDescription = "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    private const string ApiVersionDescription = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
    private const string KindDescription = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

    private readonly SortedDictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);

    public JsonObject Paths { get; } = [];

    public JsonObject Reference(string name) => new() { ["$ref"] = (v3 ? "#/components/schemas/" : "#/definitions/") + name };

    public JsonObject Definitions()
    {
        foreach (var (name, schema) in MetaSchemas.All(Reference))
        {
            _definitions.TryAdd(name, schema);
        }

        return new JsonObject(_definitions.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value)));
    }

    public void Add(CrdVersion v)
    {
        _definitions[v.DefinitionName] = KindSchema(v);
        _definitions[v.ListDefinitionName] = ListSchema(v);
        AddPaths(v);
    }

    private static JsonArray Gvk(CrdVersion v, string kind) =>
        new(new JsonObject { ["group"] = v.Group, ["kind"] = kind, ["version"] = v.Version });

    // builder.go buildKubeNative: the CRD schema with apiVersion, kind and metadata set as for native types.
    private JsonObject KindSchema(CrdVersion v)
    {
        var schema = v.Schema is { } raw ? Convert(raw, isRoot: true) : [];
        schema["x-kubernetes-group-version-kind"] = Gvk(v, v.Kind);
        return schema;
    }

    private JsonObject ListSchema(CrdVersion v)
    {
        var schema = new JsonObject
        {
            ["description"] = $"{v.ListKind} is a list of {v.Kind}",
            ["type"] = "object",
            ["required"] = new JsonArray("items"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["description"] = ApiVersionDescription, ["type"] = "string" },
                ["items"] = new JsonObject
                {
                    ["description"] = $"List of {v.Plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md",
                    ["type"] = "array",
                    ["items"] = Reference(v.DefinitionName),
                },
                ["kind"] = new JsonObject { ["description"] = KindDescription, ["type"] = "string" },
                ["metadata"] = MetaSchemas.With(Reference(MetaSchemas.ListMeta), ListMetadataDescription),
            },
        };
        schema["x-kubernetes-group-version-kind"] = Gvk(v, v.ListKind);
        return schema;
    }

    /// <summary>
    /// Copies a CRD schema node. Resource roots and embedded resources get apiVersion, kind and an ObjectMeta
    /// metadata. For Swagger 2.0 (openapi/v2/conversion.go ToStructuralOpenAPIV2) value validation junctors
    /// and nullable go, and a nullable field loses its type, since v2 clients would reject its nulls.
    /// </summary>
    private JsonObject Convert(JsonObject node, bool isRoot)
    {
        var result = new JsonObject();
        foreach (var (key, value) in node)
        {
            switch (key)
            {
                case "properties" when value is JsonObject props:
                    result[key] = new JsonObject(props.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)(p.Value is JsonObject o ? Convert(o, false) : p.Value?.DeepClone()))));
                    break;
                case "items" or "additionalProperties" when value is JsonObject child:
                    result[key] = Convert(child, false);
                    break;
                case "allOf" or "anyOf" or "oneOf" or "not" or "nullable" when !v3:
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }

        if (!v3 && node["nullable"]?.GetValue<bool>() == true)
        {
            result.Remove("type");
            result.Remove("items");
            result.Remove("properties");
            result.Remove("additionalProperties");
        }

        if (isRoot || node["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true)
        {
            if (result["properties"] is not JsonObject properties)
            {
                properties = [];
                result["properties"] = properties;
            }

            properties["apiVersion"] = new JsonObject { ["description"] = ApiVersionDescription, ["type"] = "string" };
            properties["kind"] = new JsonObject { ["description"] = KindDescription, ["type"] = "string" };
            properties["metadata"] = MetaSchemas.With(Reference(MetaSchemas.ObjectMeta), MetadataDescription);
            result["type"] ??= "object";
        }

        return result;
    }
}
