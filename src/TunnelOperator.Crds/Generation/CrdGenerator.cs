using System.Reflection;
using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Builds the CustomResourceDefinition (apiextensions.k8s.io/v1) of a kind: its names from
/// <c>IKubernetesEntity.Resource</c> and <see cref="KubernetesEntityAttribute"/>, printer
/// columns and subresources from attributes on the kind, the schema from its types.
/// </summary>
internal static class CrdGenerator
{
    public static JsonObject Generate<T>()
        where T : KubernetesObject, IKubernetesEntity<T> =>
        Generate(typeof(T), T.Resource);

    public static JsonObject Generate(Type kind, ResourceType resource)
    {
        var entity = kind.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{kind.Name} has no [KubernetesEntity]");
        if (kind.Name != resource.Kind)
        {
            throw new InvalidOperationException($"{kind.Name} declares the resource of kind {resource.Kind}");
        }

        var names = new JsonObject
        {
            ["kind"] = resource.Kind,
            ["listKind"] = resource.Kind + "List",
            ["plural"] = resource.Plural,
            ["singular"] = resource.Kind.ToLowerInvariant(),
        };
        if (entity.ShortNames.Length > 0)
        {
            names["shortNames"] = SchemaBuilder.Strings(entity.ShortNames);
        }

        if (entity.Categories.Length > 0)
        {
            names["categories"] = SchemaBuilder.Strings(entity.Categories);
        }

        var version = new JsonObject
        {
            ["name"] = resource.Version,
            ["served"] = true,
            ["storage"] = true,
        };
        var columns = PrinterColumns(kind);
        if (columns.Count > 0)
        {
            version["additionalPrinterColumns"] = columns;
        }

        var subresources = Subresources(kind);
        if (subresources.Count > 0)
        {
            version["subresources"] = subresources;
        }

        version["schema"] = new JsonObject { ["openAPIV3Schema"] = SchemaBuilder.ForRoot(kind) };

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{resource.Plural}.{resource.Group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = resource.Group,
                ["names"] = names,
                ["scope"] = resource.Namespaced ? "Namespaced" : "Cluster",
                ["versions"] = new JsonArray(version),
            },
        };
    }

    private static JsonArray PrinterColumns(Type kind)
    {
        var columns = new JsonArray();
        foreach (var column in kind.GetCustomAttributes<PrinterColumnAttribute>())
        {
            var entry = new JsonObject { ["name"] = column.Name, ["type"] = column.Type, ["jsonPath"] = column.JsonPath };
            if (column.Format is not null)
            {
                entry["format"] = column.Format;
            }

            if (column.Priority != 0)
            {
                entry["priority"] = column.Priority;
            }

            if (column.Description is not null)
            {
                entry["description"] = column.Description;
            }

            columns.Add(entry);
        }

        return columns;
    }

    private static JsonObject Subresources(Type kind)
    {
        var subresources = new JsonObject();
        if (kind.GetProperty("Status", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly) is not null)
        {
            // Status writes go through /status, so users cannot overwrite what the operator
            // observed and the operator cannot change the spec by accident.
            subresources["status"] = new JsonObject();
        }

        if (kind.GetCustomAttribute<ScaleSubresourceAttribute>() is { } scale)
        {
            var entry = new JsonObject
            {
                ["specReplicasPath"] = scale.SpecReplicasPath,
                ["statusReplicasPath"] = scale.StatusReplicasPath,
            };
            if (scale.LabelSelectorPath is not null)
            {
                entry["labelSelectorPath"] = scale.LabelSelectorPath;
            }

            subresources["scale"] = entry;
        }

        return subresources;
    }
}
