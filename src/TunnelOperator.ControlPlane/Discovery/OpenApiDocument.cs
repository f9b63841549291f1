using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Builtins;
using TunnelOperator.ControlPlane.OpenApi;

namespace TunnelOperator.ControlPlane.Discovery;

/// <summary>
/// Assembles the OpenAPI documents: custom resources' group versions from OpenApi/OpenApiDocuments (component
/// schemas from the CRDs' structural schemas, plus paths); built-in group versions carry only the operation
/// paths of <see cref="OpenApiPaths"/>.
/// </summary>
internal static class OpenApiDocument
{
    private static IReadOnlyList<JsonObject> Crds(ResourceService service) =>
        service.Store.List(CustomResourceDefinitions.Key, null).Items;

    public static JsonObject ForGroupVersion(IReadOnlyList<ResourceDefinition> defs, ResourceService service)
    {
        if (defs.Count > 0 && defs.All(d => d.IsCustom))
        {
            return OpenApiDocuments.V3GroupVersion(defs[0].Group, defs[0].Version, Crds(service));
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
            ["paths"] = OpenApiPaths.For(defs),
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    public static JsonObject V2(IReadOnlyList<ResourceDefinition> defs, ResourceService service)
    {
        _ = defs;
        return OpenApiDocuments.V2(Crds(service));
    }
}
