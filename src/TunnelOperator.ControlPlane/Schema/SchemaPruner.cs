using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// Drops fields the schema does not specify (apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go),
/// except below x-kubernetes-preserve-unknown-fields. At the resource root and in embedded resources
/// apiVersion, kind and metadata are kept; inside their metadata, fields ObjectMeta does not have are dropped
/// (schema/objectmeta, which the apiserver runs for the same purpose). Returns the dropped paths, sorted, in the
/// form the apiserver reports for fieldValidation=Strict/Warn: <c>.spec.unknownField</c>, <c>.spec.ports[0].x</c>.
/// </summary>
public static class SchemaPruner
{
    private static readonly HashSet<string> MetaFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    // metav1.ObjectMeta's JSON fields.
    private static readonly HashSet<string> ObjectMetaFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    };

    /// <summary>Prunes a whole object (the resource root).</summary>
    public static IReadOnlyList<string> Prune(JsonNode value, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var unknown = new List<string>();
        PruneNode(value, schema, isEmbedded: true, "", unknown);
        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }

    /// <summary>Prunes a value that is not a resource root (e.g. a default), with no special meta fields.</summary>
    internal static IReadOnlyList<string> PruneValue(JsonNode value, StructuralSchema schema)
    {
        var unknown = new List<string>();
        PruneNode(value, schema, schema.XEmbeddedResource, "", unknown);
        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }

    private static void PruneNode(JsonNode? x, StructuralSchema? s, bool isEmbedded, string path, List<string> unknown)
    {
        if (s is { XPreserveUnknownFields: true })
        {
            SkipPrune(x, s, isEmbedded, path, unknown);
            return;
        }

        switch (x)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    if (isEmbedded && MetaFields.Contains(key))
                    {
                        PruneMetadata(key, child, path, unknown);
                        continue;
                    }

                    if (s is not null && s.Properties.TryGetValue(key, out var prop))
                    {
                        PruneNode(child, prop, prop.XEmbeddedResource, path + "." + key, unknown);
                    }
                    else if (s?.AdditionalProperties is { } additional)
                    {
                        PruneNode(child, additional, additional.XEmbeddedResource, path + "." + key, unknown);
                    }
                    else if (s?.AdditionalPropertiesAllowed == true)
                    {
                        // additionalProperties: true without a schema keeps the key but nothing is known below it.
                        PruneNode(child, null, false, path + "." + key, unknown);
                    }
                    else
                    {
                        unknown.Add(path + "." + key);
                        obj.Remove(key);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    PruneNode(array[i], s?.Items, s?.Items?.XEmbeddedResource ?? false, $"{path}[{i}]", unknown);
                }

                break;
        }
    }

    private static void SkipPrune(JsonNode? x, StructuralSchema s, bool isEmbedded, string path, List<string> unknown)
    {
        switch (x)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    if (isEmbedded && MetaFields.Contains(key))
                    {
                        PruneMetadata(key, child, path, unknown);
                    }
                    else if (s.Properties.TryGetValue(key, out var prop))
                    {
                        PruneNode(child, prop, prop.XEmbeddedResource, path + "." + key, unknown);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        PruneNode(child, additional, additional.XEmbeddedResource, path + "." + key, unknown);
                    }
                }

                break;
            case JsonArray array when s.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    SkipPrune(array[i], items, items.XEmbeddedResource, $"{path}[{i}]", unknown);
                }

                break;
        }
    }

    private static void PruneMetadata(string key, JsonNode? value, string path, List<string> unknown)
    {
        if (key != "metadata" || value is not JsonObject meta)
        {
            return;
        }

        foreach (var field in meta.Select(p => p.Key).Where(k => !ObjectMetaFields.Contains(k)).ToList())
        {
            unknown.Add($"{path}.metadata.{field}");
            meta.Remove(field);
        }
    }
}
