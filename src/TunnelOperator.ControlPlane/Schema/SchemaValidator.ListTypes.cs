using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// x-kubernetes-list-type set/map uniqueness (apiextensions-apiserver/pkg/apiserver/schema/listtype/validation.go).
/// These errors use field.Path, so map keys read <c>spec.selector[app]</c> and items <c>spec.ports[1]</c>.
/// </summary>
public static partial class SchemaValidator
{
    private static void ValidateListTypes(JsonNode? value, StructuralSchema schema, string path, List<FieldError> errors)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (schema.Properties.TryGetValue(key, out var property))
                    {
                        ValidateListTypes(child, property, FieldPath.Child(path, key), errors);
                    }
                    else if (schema.AdditionalProperties is { } additional)
                    {
                        ValidateListTypes(child, additional, FieldPath.Key(path, key), errors);
                    }
                }

                break;
            case JsonArray array:
                if (schema.XListType == "set")
                {
                    for (var i = 1; i < array.Count; i++)
                    {
                        if (Enumerable.Range(0, i).Any(j => JsonNodes.Equal(array[i], array[j])))
                        {
                            errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), array[i]));
                        }
                    }
                }
                else if (schema.XListType == "map")
                {
                    ValidateListMap(array, schema, path, errors);
                }

                if (schema.Items is { } items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        ValidateListTypes(array[i], items, FieldPath.Index(path, i), errors);
                    }
                }

                break;
        }
    }

    private static void ValidateListMap(JsonArray array, StructuralSchema schema, string path, List<FieldError> errors)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not null and not JsonObject)
            {
                errors.Add(FieldError.Invalid(FieldPath.Index(path, i), array[i], "must be an object for an array of list-type map"));
                return;
            }
        }

        // Items compare by their key values; a missing key takes the key's default, else counts as "unspecified".
        var seen = new List<JsonNode?[]>();
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i] as JsonObject;
            var key = schema.XListMapKeys.Select(k =>
                item is not null && item.TryGetPropertyValue(k, out var v) ? v
                : schema.Items?.Properties.TryGetValue(k, out var ks) == true && ks.HasDefault ? ks.Default
                : JsonValue.Create("\u0000unspecified")).ToArray();
            if (seen.Any(s => s.Zip(key).All(p => JsonNodes.Equal(p.First, p.Second))))
            {
                errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), array[i]));
            }
            else
            {
                seen.Add(key);
            }
        }
    }
}
