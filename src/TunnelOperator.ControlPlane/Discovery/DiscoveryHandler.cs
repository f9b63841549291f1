using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.OpenApi;
using TunnelOperator.ControlPlane.Server;

namespace TunnelOperator.ControlPlane.Discovery;

/// <summary>
/// Serves <c>/api</c>, <c>/apis</c> and below (legacy or aggregated discovery, by Accept) and the OpenAPI
/// documents under <c>/openapi/v2</c> and <c>/openapi/v3</c>.
/// </summary>
internal sealed class DiscoveryHandler
{
    private readonly ResourceRegistry _registry;
    private readonly ResourceService _service;
    private readonly Func<string> _serverAddress;

    public DiscoveryHandler(ResourceRegistry registry, ResourceService service, Func<string> serverAddress)
    {
        _registry = registry;
        _service = service;
        _serverAddress = serverAddress;
    }

    public async Task<bool> TryHandleAsync(HttpContext context, string path)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }

        var all = _registry.All;
        var trimmed = path.TrimEnd('/');
        var parts = trimmed.Trim('/').Split('/');
        switch (parts)
        {
            case ["api"]:
                if (AggregatedVersion(context) is { } coreAggregated)
                {
                    await WriteAggregatedAsync(context, DiscoveryDocuments.Aggregated(all, core: true, coreAggregated), coreAggregated);
                }
                else
                {
                    await Responses.WriteJsonAsync(context, 200, DiscoveryDocuments.ApiVersions(_serverAddress()));
                }

                return true;
            case ["apis"]:
                if (AggregatedVersion(context) is { } aggregated)
                {
                    await WriteAggregatedAsync(context, DiscoveryDocuments.Aggregated(all, core: false, aggregated), aggregated);
                }
                else
                {
                    await Responses.WriteJsonAsync(context, 200, DiscoveryDocuments.GroupList(all));
                }

                return true;
            case ["api", var v] when all.Any(d => d.Group.Length == 0 && d.Version == v):
                await Responses.WriteJsonAsync(context, 200, DiscoveryDocuments.ResourceList(all, "", v));
                return true;
            case ["apis", var g] when all.Any(d => d.Group == g):
                await Responses.WriteJsonAsync(context, 200, DiscoveryDocuments.Group(g, DiscoveryDocuments.Groups(all, false).First(x => x.Group == g).Versions));
                return true;
            case ["apis", var g, var v] when all.Any(d => d.Group == g && d.Version == v):
                await Responses.WriteJsonAsync(context, 200, DiscoveryDocuments.ResourceList(all, g, v));
                return true;
            case ["openapi", "v2"]:
                await OpenApiV2Async(context);
                return true;
            case ["openapi", "v3"]:
                await Responses.WriteJsonAsync(context, 200, OpenApiIndex(all));
                return true;
            case ["openapi", "v3", ..]:
                await OpenApiV3Async(context, string.Join('/', parts[2..]), all);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The apidiscovery version the client asks for first, if any (else legacy discovery).</summary>
    private static string? AggregatedVersion(HttpContext context)
    {
        foreach (var entry in context.Request.Headers.Accept.ToString().Split(','))
        {
            if (!entry.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) || !entry.Contains("g=apidiscovery.k8s.io", StringComparison.Ordinal))
            {
                if (entry.Trim().StartsWith("application/json", StringComparison.Ordinal) || entry.Trim().StartsWith("*/*", StringComparison.Ordinal))
                {
                    return null;
                }

                continue;
            }

            if (entry.Contains("v=v2beta1", StringComparison.Ordinal))
            {
                return "apidiscovery.k8s.io/v2beta1";
            }

            if (entry.Contains("v=v2", StringComparison.Ordinal))
            {
                return "apidiscovery.k8s.io/v2";
            }
        }

        return null;
    }

    private static Task WriteAggregatedAsync(HttpContext context, JsonObject document, string apiVersion)
    {
        var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        context.Response.Headers.Vary = "Accept";
        return Responses.WriteJsonAsync(context, 200, document, $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList");
    }

    private static string GroupVersionPath(ResourceDefinition d) => d.Group.Length == 0 ? $"api/{d.Version}" : $"apis/{d.Group}/{d.Version}";

    // kubectl caches each group version's document under the hash in its URL, so the hash must change with the document.
    private JsonObject OpenApiIndex(IReadOnlyList<ResourceDefinition> all) =>
        OpenApiDocuments.V3Index(all.Select(GroupVersionPath).Distinct().Select(gv => (gv, Hash(GroupVersionDocument(gv, all)))));

    private static string Hash(JsonObject document) => OpenApiDocuments.Hash(document);

    private async Task OpenApiV3Async(HttpContext context, string groupVersionPath, IReadOnlyList<ResourceDefinition> all)
    {
        if (!AcceptsJson(context))
        {
            await Responses.WriteErrorAsync(context, ApiError.NotAcceptable(context.Request.Headers.Accept.ToString()));
            return;
        }

        if (!all.Any(d => GroupVersionPath(d) == groupVersionPath))
        {
            await Responses.WriteErrorAsync(context, ApiError.PathNotFound());
            return;
        }

        context.Response.Headers.ETag = "\"" + Hash(GroupVersionDocument(groupVersionPath, all)) + "\"";
        await Responses.WriteJsonAsync(context, 200, GroupVersionDocument(groupVersionPath, all));
    }

    private JsonObject GroupVersionDocument(string groupVersionPath, IReadOnlyList<ResourceDefinition> all)
    {
        var defs = all.Where(d => GroupVersionPath(d) == groupVersionPath).ToList();
        var document = OpenApiDocument.ForGroupVersion(defs, _service);
        return document;
    }

    private async Task OpenApiV2Async(HttpContext context)
    {
        // kubectl asks for protobuf first; refusing it with 406 makes client-go treat OpenAPI v2 as unavailable
        // and carry on (it uses v3), which is what a JSON-only server can honestly say.
        if (!AcceptsJson(context))
        {
            await Responses.WriteErrorAsync(context, ApiError.NotAcceptable(context.Request.Headers.Accept.ToString()));
            return;
        }

        await Responses.WriteJsonAsync(context, 200, OpenApiDocument.V2(_registry.All, _service));
    }

    private static bool AcceptsJson(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        return accept.Length == 0 || accept.Contains("application/json", StringComparison.Ordinal) || accept.Contains("*/*", StringComparison.Ordinal);
    }
}
