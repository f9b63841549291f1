using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// CRD registration rules for one schema. Sources: apiextensions-apiserver/pkg/apiserver/schema/validation.go
/// (structural invariants and metadata), pkg/apis/apiextensions/validation/validation.go (list and map types,
/// list-map keys) and schema/defaulting/validation.go (defaults are pruned and valid). Errors are sorted by
/// their text as ValidateStructural sorts them.
/// </summary>
internal static class StructuralChecks
{
    private enum Level
    {
        Root,
        Item,
        Field,
    }

    public static IReadOnlyList<FieldError> Check(StructuralSchema schema, string path)
    {
        var errors = new List<FieldError>();
        Invariants(schema, Level.Root, path, errors);
        return errors.OrderBy(e => e.ToString(), StringComparer.Ordinal).ToList();
    }

    private static string Child(string p, string name) => FieldPath.Child(p, name);

    private static void Invariants(StructuralSchema s, Level level, string path, List<FieldError> errors)
    {
        if (s.Type == "array" && s.Items is null)
        {
            errors.Add(FieldError.Required(Child(path, "items"), "must be specified"));
        }

        if (s.Items is { } items)
        {
            Invariants(items, Level.Item, Child(path, "items"), errors);
        }

        foreach (var name in s.PropertyOrder)
        {
            Invariants(s.Properties[name], Level.Field, FieldPath.Key(Child(path, "properties"), name), errors);
        }

        if (s.AdditionalProperties is not null || s.AdditionalPropertiesAllowed is not null)
        {
            if (level == Level.Root)
            {
                errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "must not be used at the root"));
            }

            if (s.Properties.Count > 0)
            {
                // apiextensions validation: properties and additionalProperties are mutually exclusive.
                errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "additionalProperties and properties are mutual exclusive"));
            }

            if (s.AdditionalPropertiesAllowed == false)
            {
                errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "must not be false"));
            }

            if (s.AdditionalProperties is { } additional)
            {
                Invariants(additional, Level.Field, Child(path, "additionalProperties"), errors);
            }
        }

        if (s.XIntOrString && s.XPreserveUnknownFields)
        {
            errors.Add(FieldError.Invalid(Child(path, "x-kubernetes-preserve-unknown-fields"), JsonValue.Create(true), "must be false if x-kubernetes-int-or-string is true"));
        }

        if (s.XIntOrString && s.XEmbeddedResource)
        {
            errors.Add(FieldError.Invalid(Child(path, "x-kubernetes-embedded-resource"), JsonValue.Create(true), "must be false if x-kubernetes-int-or-string is true"));
        }

        ValueValidation(s, path, errors, nested: false);

        if (s.XEmbeddedResource && s.Type != "object")
        {
            errors.Add(s.Type.Length == 0
                ? FieldError.Required(Child(path, "type"), "must be object if x-kubernetes-embedded-resource is true")
                : FieldError.Invalid(Child(path, "type"), JsonValue.Create(s.Type), "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (s.Type.Length == 0 && !s.XIntOrString && !s.XPreserveUnknownFields)
        {
            var detail = level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            };
            errors.Add(FieldError.Required(Child(path, "type"), detail));
        }

        if (s.XEmbeddedResource && s.AdditionalProperties is not null)
        {
            errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"));
        }

        if (level == Level.Root && s.Type.Length > 0 && s.Type != "object")
        {
            errors.Add(FieldError.Invalid(Child(path, "type"), JsonValue.Create(s.Type), "must be object at the root"));
        }

        var checkMetadata = level == Level.Root || s.XEmbeddedResource;
        foreach (var meta in new[] { "kind", "apiVersion" })
        {
            if (checkMetadata && s.Properties.TryGetValue(meta, out var m) && m.Type != "string")
            {
                errors.Add(FieldError.Invalid(Child(FieldPath.Key(Child(path, "properties"), meta), "type"), JsonValue.Create(m.Type), "must be string"));
            }
        }

        if (s.Properties.TryGetValue("metadata", out var metadata))
        {
            var metaPath = FieldPath.Key(Child(path, "properties"), "metadata");
            if (checkMetadata && metadata.Type != "object")
            {
                errors.Add(FieldError.Invalid(Child(metaPath, "type"), JsonValue.Create(metadata.Type), "must be object"));
            }

            if (level == Level.Root && !OnlyNameAndGenerateName(metadata))
            {
                errors.Add(FieldError.Forbidden(metaPath, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
            }
        }

        if (s.XEmbeddedResource && !s.XPreserveUnknownFields && s.Properties.Count == 0)
        {
            errors.Add(FieldError.Required(Child(path, "properties"), "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }

        ListAndMapTypes(s, path, errors);
        Default(s, path, errors);
    }

    // schema/validation.go validateStructuralMetadataInvariants: at the root, metadata may only carry a type
    // (object) and the properties name and/or generateName; anything else restricts ObjectMeta.
    private static bool OnlyNameAndGenerateName(StructuralSchema metadata)
    {
        var allowedKeys = new HashSet<string>(StringComparer.Ordinal) { "type", "properties" };
        if (metadata.Raw.Any(p => !allowedKeys.Contains(p.Key)))
        {
            return false;
        }

        return metadata.PropertyOrder.All(n => n is "name" or "generateName");
    }

    private static void ValueValidation(StructuralSchema s, string path, List<FieldError> errors, bool nested)
    {
        if (s.Pattern is { } pattern && SchemaValidator.CompilePattern(pattern) is null)
        {
            errors.Add(FieldError.Invalid(Child(path, "pattern"), JsonValue.Create(pattern), "must be a valid regular expression, but isn't"));
        }

        // The int-or-string idiom (anyOf: [{type: integer}, {type: string}]) is the one place a junctor may name a type.
        var intOrString = s.AnyOf.Count == 2 && s.AnyOf[0].Raw.Count == 1 && s.AnyOf[0].Type == "integer" && s.AnyOf[1].Raw.Count == 1 && s.AnyOf[1].Type == "string";
        for (var i = 0; i < s.AnyOf.Count; i++)
        {
            if (!intOrString)
            {
                Nested(s.AnyOf[i], FieldPath.Index(Child(path, "anyOf"), i), errors);
            }
        }

        for (var i = 0; i < s.AllOf.Count; i++)
        {
            Nested(s.AllOf[i], FieldPath.Index(Child(path, "allOf"), i), errors);
        }

        for (var i = 0; i < s.OneOf.Count; i++)
        {
            Nested(s.OneOf[i], FieldPath.Index(Child(path, "oneOf"), i), errors);
        }

        if (s.Not is { } not)
        {
            Nested(not, Child(path, "not"), errors);
        }

        _ = nested;
    }

    // validateNestedValueValidation: inside a junctor only value validations are allowed.
    private static void Nested(StructuralSchema v, string path, List<FieldError> errors)
    {
        ValueValidation(v, path, errors, nested: true);
        if (v.Items is { } items)
        {
            Nested(items, Child(path, "items"), errors);
        }

        foreach (var name in v.PropertyOrder)
        {
            Nested(v.Properties[name], FieldPath.Key(Child(path, "properties"), name), errors);
        }

        void Forbid(bool present, string keyword, string detail)
        {
            if (present)
            {
                errors.Add(FieldError.Forbidden(Child(path, keyword), detail));
            }
        }

        Forbid(v.Type.Length > 0, "type", "must be empty to be structural");
        Forbid(v.AdditionalProperties is not null, "additionalProperties", "must be undefined to be structural");
        Forbid(v.HasDefault, "default", "must be undefined to be structural");
        Forbid(v.Raw.ContainsKey("title"), "title", "must be empty to be structural");
        Forbid(v.Description is { Length: > 0 }, "description", "must be empty to be structural");
        Forbid(v.Nullable, "nullable", "must be false to be structural");
        Forbid(v.Raw.ContainsKey("externalDocs"), "externalDocs", "must be undefined to be structural");
        Forbid(v.XPreserveUnknownFields, "x-kubernetes-preserve-unknown-fields", "must be false to be structural");
        Forbid(v.XEmbeddedResource, "x-kubernetes-embedded-resource", "must be false to be structural");
        Forbid(v.XIntOrString, "x-kubernetes-int-or-string", "must be false to be structural");
        Forbid(v.XListMapKeys.Count > 0, "x-kubernetes-list-map-keys", "must be empty to be structural");
        Forbid(v.XListType is not null, "x-kubernetes-list-type", "must be undefined to be structural");
        Forbid(v.XMapType is not null, "x-kubernetes-map-type", "must be undefined to be structural");
        Forbid(v.Raw.ContainsKey("x-kubernetes-validations"), "x-kubernetes-validations", "must be empty to be structural");
        Forbid(v.Properties.ContainsKey("metadata"), "properties[metadata]", "must not be specified in a nested context");
    }

    // pkg/apis/apiextensions/validation/validation.go: x-kubernetes-list-type, -list-map-keys and -map-type.
    private static void ListAndMapTypes(StructuralSchema s, string path, List<FieldError> errors)
    {
        if (s.XListType is { } listType)
        {
            if (listType is not ("atomic" or "set" or "map"))
            {
                errors.Add(FieldError.NotSupported(Child(path, "x-kubernetes-list-type"), JsonValue.Create(listType), ["atomic", "set", "map"]));
            }
            else if (s.Type != "array")
            {
                errors.Add(FieldError.Invalid(Child(path, "type"), JsonValue.Create(s.Type), "must be array if x-kubernetes-list-type is specified"));
            }
            else if (listType == "set" && s.Items is { } setItems && !IsScalarOrAtomic(setItems))
            {
                errors.Add(FieldError.Invalid(Child(path, "items"), null, "must be a scalar, or an atomic object or array when x-kubernetes-list-type is set"));
            }
            else if (listType == "map")
            {
                ListMap(s, path, errors);
            }
        }

        if (s.XListMapKeys.Count > 0 && s.XListType != "map")
        {
            errors.Add(FieldError.Forbidden(Child(path, "x-kubernetes-list-map-keys"), "requires x-kubernetes-list-type: map"));
        }

        if (s.XMapType is { } mapType)
        {
            if (mapType is not ("granular" or "atomic"))
            {
                errors.Add(FieldError.NotSupported(Child(path, "x-kubernetes-map-type"), JsonValue.Create(mapType), ["granular", "atomic"]));
            }
            else if (s.Type != "object")
            {
                errors.Add(FieldError.Invalid(Child(path, "type"), JsonValue.Create(s.Type), "must be object if x-kubernetes-map-type is specified"));
            }
        }
    }

    private static bool IsScalarOrAtomic(StructuralSchema items) =>
        items.Type is "string" or "integer" or "number" or "boolean" || items.XIntOrString
        || items.Type == "object" && items.XMapType == "atomic"
        || items.Type == "array" && items.XListType == "atomic";

    private static void ListMap(StructuralSchema s, string path, List<FieldError> errors)
    {
        if (s.XListMapKeys.Count == 0)
        {
            errors.Add(FieldError.Required(Child(path, "x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"));
            return;
        }

        if (s.XListMapKeys.Distinct(StringComparer.Ordinal).Count() != s.XListMapKeys.Count)
        {
            errors.Add(FieldError.Invalid(Child(path, "x-kubernetes-list-map-keys"), null, "must not contain duplicate entries"));
        }

        if (s.Items is not { } items || items.Type != "object" || items.XMapType == "atomic")
        {
            errors.Add(FieldError.Invalid(Child(path, "items"), null, "must be an object for an array of list-type map"));
            return;
        }

        var itemsPath = Child(Child(path, "items"), "properties");
        foreach (var key in s.XListMapKeys)
        {
            if (!items.Properties.TryGetValue(key, out var keySchema))
            {
                errors.Add(FieldError.Required(FieldPath.Key(itemsPath, key), "entries specified in x-kubernetes-list-map-keys must be properties of items"));
                continue;
            }

            if (keySchema.Type is not ("string" or "integer" or "number" or "boolean") && !keySchema.XIntOrString)
            {
                errors.Add(FieldError.Invalid(Child(FieldPath.Key(itemsPath, key), "type"), JsonValue.Create(keySchema.Type), "must be a scalar type if listed in x-kubernetes-list-map-keys"));
            }

            // A key must always be present: required, or defaulted (apiextensions validation, 1.20+).
            if (!items.Required.Contains(key) && !keySchema.HasDefault)
            {
                errors.Add(FieldError.Required(FieldPath.Key(itemsPath, key), "all properties specified in x-kubernetes-list-map-keys need to be either be required or have a default value"));
            }
        }
    }

    // schema/defaulting/validation.go: a default must survive pruning unchanged and validate against its schema.
    private static void Default(StructuralSchema s, string path, List<FieldError> errors)
    {
        if (!s.HasDefault)
        {
            return;
        }

        var defaultPath = Child(path, "default");
        if (s.Default is null && !s.Nullable)
        {
            errors.Add(FieldError.Invalid(defaultPath, null, "must not be null for non-nullable field"));
            return;
        }

        var copy = JsonNodes.Clone(s.Default);
        if (copy is not null)
        {
            var pruned = SchemaPruner.PruneValue(copy, s);
            if (pruned.Count > 0)
            {
                errors.Add(FieldError.Invalid(defaultPath, s.Default, "must not have unknown fields, got: " + string.Join(", ", pruned)));
            }
        }

        foreach (var e in SchemaValidator.Validate(s.Default, s, defaultPath))
        {
            errors.Add(e);
        }
    }
}
