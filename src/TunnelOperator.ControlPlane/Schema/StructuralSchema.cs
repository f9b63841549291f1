using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// One node of a CRD version's openAPIV3Schema (apiextensions JSONSchemaProps), parsed once. It keeps the
/// structural part (type, properties, items, additionalProperties, the x-kubernetes extensions) and the value
/// validations (enum, bounds, pattern, the allOf/anyOf/oneOf/not junctors) the way
/// apiextensions-apiserver/pkg/apiserver/schema/structural.go separates them; <see cref="Raw"/> keeps the
/// input for the OpenAPI documents.
/// </summary>
public sealed partial class StructuralSchema
{
    private static readonly Dictionary<string, StructuralSchema> NoProperties = [];

    /// <summary>The JSON this node was parsed from.</summary>
    public JsonObject Raw { get; private init; } = [];

    /// <summary>"object", "array", "string", "integer", "number", "boolean" or "" when unset.</summary>
    public string Type { get; private init; } = "";

    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; private init; } = NoProperties;

    /// <summary>Names of the properties in declaration order (the dictionary does not promise order).</summary>
    public IReadOnlyList<string> PropertyOrder { get; private init; } = [];

    public StructuralSchema? Items { get; private init; }

    /// <summary>additionalProperties given as a schema.</summary>
    public StructuralSchema? AdditionalProperties { get; private init; }

    /// <summary>additionalProperties given as a boolean (true/false), null when absent or a schema.</summary>
    public bool? AdditionalPropertiesAllowed { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    /// <summary>Allowed values, null when the schema has no enum.</summary>
    public IReadOnlyList<JsonNode?>? Enum { get; private init; }

    public string? Pattern { get; private init; }

    public double? Minimum { get; private init; }

    public double? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public double? MultipleOf { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public bool UniqueItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    public string? Format { get; private init; }

    /// <summary>The default value; null when absent (a JSON null default is <see cref="HasDefault"/> with a null value).</summary>
    public JsonNode? Default { get; private init; }

    public bool HasDefault { get; private init; }

    public bool Nullable { get; private init; }

    public string? Description { get; private init; }

    public bool XPreserveUnknownFields { get; private init; }

    public bool XIntOrString { get; private init; }

    public bool XEmbeddedResource { get; private init; }

    /// <summary>x-kubernetes-list-type: "atomic", "set", "map" or null.</summary>
    public string? XListType { get; private init; }

    public IReadOnlyList<string> XListMapKeys { get; private init; } = [];

    /// <summary>x-kubernetes-map-type: "granular", "atomic" or null.</summary>
    public string? XMapType { get; private init; }

    public IReadOnlyList<StructuralSchema> AllOf { get; private init; } = [];

    public IReadOnlyList<StructuralSchema> AnyOf { get; private init; } = [];

    public IReadOnlyList<StructuralSchema> OneOf { get; private init; } = [];

    public StructuralSchema? Not { get; private init; }

    /// <summary>The effective type: integer-or-string nodes report "" as in the CRD, see <see cref="XIntOrString"/>.</summary>
    internal bool IsObjectLike => Type == "object" || Properties.Count > 0 || AdditionalProperties is not null;

    /// <summary>Parses an openAPIV3Schema. Throws <see cref="SchemaException"/> when a keyword has the wrong JSON type.</summary>
    public static StructuralSchema Parse(JsonNode openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        if (openApiV3Schema is not JsonObject obj)
        {
            throw new SchemaException("openAPIV3Schema must be a JSON object");
        }

        return ParseNode(obj, "openAPIV3Schema");
    }

    /// <summary>
    /// The CRD registration checks for one version's schema: structurality
    /// (apiextensions-apiserver/pkg/apiserver/schema/validation.go), the list/map type rules and that defaults
    /// are pruned and valid (pkg/apis/apiextensions/validation and schema/defaulting/validation.go).
    /// <paramref name="fieldPath"/> prefixes every error, e.g. <c>spec.versions[0].schema.openAPIV3Schema</c>.
    /// </summary>
    public static IReadOnlyList<FieldError> CheckStructural(JsonNode openApiV3Schema, string fieldPath)
    {
        StructuralSchema schema;
        try
        {
            schema = Parse(openApiV3Schema);
        }
        catch (SchemaException e)
        {
            return [FieldError.Invalid(fieldPath, null, e.Message)];
        }

        return StructuralChecks.Check(schema, fieldPath);
    }

    /// <summary>The schema for a property, from properties or else additionalProperties; null when unknown.</summary>
    internal StructuralSchema? PropertySchema(string name) =>
        Properties.TryGetValue(name, out var p) ? p : AdditionalProperties;
}
