using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// Keeps the served resources in step with the stored CRDs (the apiextensions apiserver's
/// crdHandler): an Established CRD's served versions are registered in the same commit that stored it,
/// so the next request can use them; a CRD's removal unregisters them.
/// </summary>
internal sealed partial class CustomResourceDefinitions
{
    public static readonly ResourceKey Key = new("apiextensions.k8s.io", "customresourcedefinitions");
    private readonly ResourceRegistry _registry;
    private readonly ILogger _logger;

    public CustomResourceDefinitions(ResourceRegistry registry, ILogger logger)
    {
        _registry = registry;
        _logger = logger;
    }

    public void Attach(ObjectStore store)
    {
        foreach (var (key, obj) in store.All())
        {
            if (key == Key)
            {
                Sync(obj);
            }
        }

        store.Committed += e =>
        {
            if (e.Key != Key)
            {
                return;
            }

            if (e.Type == StoreEventType.Deleted)
            {
                _registry.Set(Meta.Name(e.Object), []);
            }
            else
            {
                Sync(e.Object);
            }
        };
    }

    private void Sync(JsonObject crd)
    {
        try
        {
            _registry.Set(Meta.Name(crd), Definitions(crd));
        }
        catch (SchemaException e)
        {
            Log.BadSchema(_logger, e, Meta.Name(crd));
        }
    }

    private static bool Established(JsonObject crd) =>
        (crd["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => Meta.Str(c["type"]) == "Established" && Meta.Str(c["status"]) == "True") == true;

    /// <summary>One definition per served version; all share the storage key (conversion strategy None).</summary>
    public static IReadOnlyList<ResourceDefinition> Definitions(JsonObject crd)
    {
        if (!Established(crd) || crd["spec"] is not JsonObject spec)
        {
            return [];
        }

        var names = spec["names"] as JsonObject ?? new JsonObject();
        var defs = new List<ResourceDefinition>();
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"] is not JsonValue served || !served.TryGetValue<bool>(out var isServed) || !isServed)
            {
                continue;
            }

            var schemaNode = version["schema"]?["openAPIV3Schema"];
            var schema = schemaNode is null ? null : StructuralSchema.Parse(schemaNode);
            ScaleSpec? scale = null;
            if (version["subresources"]?["scale"] is JsonObject scaleNode)
            {
                scale = new ScaleSpec(Meta.Str(scaleNode["specReplicasPath"]) ?? ".spec.replicas", Meta.Str(scaleNode["statusReplicasPath"]) ?? ".status.replicas", Meta.Str(scaleNode["labelSelectorPath"]));
            }

            var kind = Meta.Str(names["kind"]) ?? "";
            defs.Add(new ResourceDefinition
            {
                Group = Meta.Str(spec["group"]) ?? "",
                Version = Meta.Str(version["name"]) ?? "",
                Resource = Meta.Str(names["plural"]) ?? "",
                Singular = Meta.Str(names["singular"]) ?? kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = Meta.Str(spec["scope"]) != "Cluster",
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                HasStatus = version["subresources"]?["status"] is not null,
                Scale = scale,
                TracksGeneration = true,
                IsCustom = true,
                Strategy = new CustomResourceStrategy(schema),
                PrinterColumns = version["additionalPrinterColumns"] as JsonArray,
            });
        }

        return defs;
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(Meta.Str).Where(s => s is not null).Select(s => s!)] : [];

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "CustomResourceDefinition {Name} has a schema that cannot be served")]
        public static partial void BadSchema(ILogger logger, Exception e, string name);
    }
}
