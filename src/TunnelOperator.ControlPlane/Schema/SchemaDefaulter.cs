using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// Structural defaulting (apiextensions-apiserver/pkg/apiserver/schema/defaulting/algorithm.go): top-down, a
/// property's default fills a missing key or a null where the property is not nullable, inside array items and
/// additionalProperties as well. The apiserver runs it when decoding a request body and when reading from
/// storage, so callers apply it on both paths.
/// </summary>
public static class SchemaDefaulter
{
    public static void ApplyDefaults(JsonNode value, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Default(value, schema);
    }

    /// <summary>
    /// Removes nulls the schema does not allow and has no default for
    /// (defaulting/prunenulls.go PruneNonNullableNullsWithoutDefaults); the apiserver runs it after defaulting.
    /// </summary>
    public static void PruneNonNullableNulls(JsonNode value, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        switch (value)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    var s = schema.PropertySchema(key);
                    if (s is null)
                    {
                        continue;
                    }

                    if (child is null)
                    {
                        if (!s.Nullable && !s.HasDefault)
                        {
                            obj.Remove(key);
                        }
                    }
                    else
                    {
                        PruneNonNullableNulls(child, s);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        PruneNonNullableNulls(child, items);
                    }
                }

                break;
        }
    }

    private static bool IsNonNullableNull(JsonNode? x, StructuralSchema? s) => x is null && s is not null && !s.Nullable;

    private static void Default(JsonNode? x, StructuralSchema? s)
    {
        if (s is null)
        {
            return;
        }

        switch (x)
        {
            case JsonObject obj:
                foreach (var name in s.PropertyOrder)
                {
                    var prop = s.Properties[name];
                    if (!prop.HasDefault || prop.Default is null)
                    {
                        continue;
                    }

                    if (!obj.TryGetPropertyValue(name, out var existing) || IsNonNullableNull(existing, prop))
                    {
                        obj[name] = JsonNodes.Clone(prop.Default);
                    }
                }

                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    if (s.Properties.TryGetValue(key, out var prop))
                    {
                        Default(child, prop);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        if (IsNonNullableNull(child, additional) && additional.HasDefault)
                        {
                            obj[key] = JsonNodes.Clone(additional.Default);
                        }

                        // Upstream recurses into the value it saw before filling in, so a filled-in default is not defaulted again.
                        Default(child, additional);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    if (IsNonNullableNull(child, s.Items) && s.Items!.HasDefault)
                    {
                        array[i] = JsonNodes.Clone(s.Items.Default);
                    }

                    Default(child, s.Items);
                }

                break;
        }
    }
}
