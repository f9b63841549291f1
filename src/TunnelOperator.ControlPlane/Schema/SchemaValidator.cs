using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// Validates a value against a structural schema the way the apiextensions apiserver does for custom
/// resources: the kube-openapi schema validator (k8s.io/kube-openapi/pkg/validation/validate) whose errors are
/// converted to field errors by apiextensions-apiserver/pkg/apiserver/validation/validation.go
/// (kubeOpenAPIResultToFieldErrors), followed by the list-type checks of schema/listtype/validation.go.
/// </summary>
/// <remarks>
/// kube-openapi names a property of an object <c>parent.key</c> and an array item <c>parent[i]</c>, also for
/// additionalProperties keys (<c>spec.selector.app</c>), and the apiserver uses that name as the error's field;
/// the list-type checks use field.Path and so write map keys as <c>spec.selector[app]</c>. Both are kept.
/// Not replicated: go-openapi's quirk of skipping the type check of Go zero values (0, "", false).
/// </remarks>
public static partial class SchemaValidator
{
    /// <summary>Validates <paramref name="value"/>; an empty list means valid. <paramref name="fieldPath"/> prefixes every field ("" at the object root).</summary>
    public static IReadOnlyList<FieldError> Validate(JsonNode? value, StructuralSchema schema, string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<FieldError>();
        var walker = new Walker(errors, fieldPath ?? "");
        walker.Validate(value, schema, "");
        ValidateListTypes(value, schema, fieldPath ?? "", errors);
        return errors;
    }

    private sealed partial class Walker(List<FieldError> errors, string prefix)
    {
        private string Field(string name) => prefix.Length == 0 ? name : name.Length == 0 ? prefix : FieldPath.Child(prefix, name);

        // The kube-openapi message subject: the name relative to the validated value, and "in body".
        private string Subject(string name) => $"{(name.Length == 0 ? prefix : name)} in body";

        public void Validate(JsonNode? value, StructuralSchema schema, string name)
        {
            var kind = JsonNodes.Kind(value);
            if (kind == JsonKind.Null)
            {
                // Only the type and the enum validators see a null (validate/schema.go).
                CheckType(value, kind, schema, name);
                CheckEnum(value, schema, name);
                return;
            }

            if (!CheckType(value, kind, schema, name))
            {
                // A value of the wrong type still goes through the validators that apply to its own kind, as in
                // kube-openapi; those of the declared type do not apply.
            }

            CheckJunctors(value, schema, name);
            switch (kind)
            {
                case JsonKind.String:
                    CheckString(JsonNodes.GetString(value)!, value, schema, name);
                    CheckFormat(JsonNodes.GetString(value)!, value, schema, name);
                    break;
                case JsonKind.Integer or JsonKind.Number:
                    CheckNumber((JsonValue)value!, kind, schema, name);
                    break;
                case JsonKind.Array:
                    CheckArray((JsonArray)value!, schema, name);
                    break;
            }

            CheckEnum(value, schema, name);
            if (kind == JsonKind.Object)
            {
                CheckObject((JsonObject)value!, schema, name);
            }
        }

        private bool CheckType(JsonNode? value, JsonKind kind, StructuralSchema schema, string name)
        {
            var types = schema.XIntOrString ? ["integer", "string"] : schema.Type.Length == 0 ? Array.Empty<string>() : [schema.Type];
            if (types.Length == 0)
            {
                return true;
            }

            if (kind == JsonKind.Null)
            {
                if (schema.Nullable)
                {
                    return true;
                }

                TypeError(value, name, string.Join(",", types), "null");
                return false;
            }

            var actual = kind switch
            {
                JsonKind.Object => "object",
                JsonKind.Array => "array",
                JsonKind.String => "string",
                JsonKind.Integer => "integer",
                JsonKind.Number => "number",
                _ => "boolean",
            };

            // An integral float64 is an acceptable integer and an integer an acceptable number (validate/type.go).
            var ok = types.Contains(actual)
                || actual == "number" && types.Contains("integer") && double.IsInteger(JsonNodes.GetDouble((JsonValue)value!))
                || actual == "integer" && types.Contains("number");
            if (!ok)
            {
                TypeError(value, name, string.Join(",", types), actual);
            }

            return ok;
        }

        private void TypeError(JsonNode? value, string name, string expected, string actual)
        {
            _ = value;
            var detail = $"{Subject(name)} must be of type {expected}: {GoText.Quote(actual)}";
            errors.Add(FieldError.TypeInvalid(Field(name), JsonValue.Create(actual), detail));
        }

        private void CheckEnum(JsonNode? value, StructuralSchema schema, string name)
        {
            if (schema.Enum is not { Count: > 0 } allowed || allowed.Any(a => JsonNodes.Equal(a, value)))
            {
                return;
            }

            var supported = allowed.Select(a => JsonNodes.GetString(a) ?? (a is null ? "null" : a.ToJsonString()));
            errors.Add(FieldError.NotSupported(Field(name), value, supported));
        }

        private void CheckJunctors(JsonNode? value, StructuralSchema schema, string name)
        {
            foreach (var sub in schema.AllOf)
            {
                var inner = Nested(value, sub, name);
                if (inner.Count > 0)
                {
                    errors.AddRange(inner);
                    Invalid(name, null, $"{Subject(name)} must validate all the schemas (allOf)");
                }
            }

            if (schema.AnyOf.Count > 0 && !schema.AnyOf.Any(sub => Nested(value, sub, name).Count == 0))
            {
                Invalid(name, null, $"{Subject(name)} must validate at least one schema (anyOf)");
            }

            if (schema.OneOf.Count > 0 && schema.OneOf.Count(sub => Nested(value, sub, name).Count == 0) != 1)
            {
                Invalid(name, null, $"{Subject(name)} must validate one and only one schema (oneOf)");
            }

            if (schema.Not is { } not && Nested(value, not, name).Count == 0)
            {
                Invalid(name, null, $"{Subject(name)} must not validate the schema (not)");
            }
        }

        private List<FieldError> Nested(JsonNode? value, StructuralSchema schema, string name)
        {
            var list = new List<FieldError>();
            new Walker(list, prefix).Validate(value, schema, name);
            return list;
        }

        private void Invalid(string name, JsonNode? value, string detail) =>
            errors.Add(FieldError.Invalid(Field(name), value ?? JsonValue.Create(""), detail));

        private void CheckArray(JsonArray array, StructuralSchema schema, string name)
        {
            if (schema.Items is { } items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], items, $"{name}[{i}]");
                }
            }

            if (schema.MinItems is { } min && array.Count < min)
            {
                Invalid(name, JsonValue.Create((long)array.Count), $"{Subject(name)} should have at least {min} items");
            }

            if (schema.MaxItems is { } max && array.Count > max)
            {
                errors.Add(FieldError.TooMany(Field(name), array.Count, max));
            }

            if (schema.UniqueItems)
            {
                for (var i = 1; i < array.Count; i++)
                {
                    if (Enumerable.Range(0, i).Any(j => JsonNodes.Equal(array[i], array[j])))
                    {
                        Invalid(name, null, $"{Subject(name)} shouldn't contain duplicates");
                        break;
                    }
                }
            }
        }

        private void CheckObject(JsonObject obj, StructuralSchema schema, string name)
        {
            if (schema.MinProperties is { } min && obj.Count < min)
            {
                Invalid(name, JsonValue.Create(min), $"{Subject(name)} should have at least {min} properties");
            }

            if (schema.MaxProperties is { } max && obj.Count > max)
            {
                errors.Add(FieldError.TooMany(Field(name), obj.Count, max));
            }

            string Child(string key) => name.Length == 0 ? key : name + "." + key;

            if (schema.AdditionalPropertiesAllowed == false)
            {
                foreach (var (key, _) in obj)
                {
                    if (!schema.Properties.ContainsKey(key))
                    {
                        Invalid(name, JsonValue.Create(key), $"{Child(key)} in body is a forbidden property");
                    }
                }
            }
            else if (schema.AdditionalProperties is { } additional)
            {
                foreach (var (key, child) in obj)
                {
                    if (!schema.Properties.ContainsKey(key))
                    {
                        Validate(child, additional, Child(key));
                    }
                }
            }

            foreach (var key in schema.PropertyOrder)
            {
                if (obj.TryGetPropertyValue(key, out var child))
                {
                    Validate(child, schema.Properties[key], Child(key));
                }
            }

            foreach (var key in schema.Required)
            {
                // A missing property with a default counts as present (validate/object_validator.go).
                if (!obj.ContainsKey(key) && !(schema.Properties.TryGetValue(key, out var p) && p.HasDefault))
                {
                    errors.Add(FieldError.Required(Field(Child(key))));
                }
            }
        }
    }
}
