using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Discovery;

/// <summary>
/// The <c>paths</c> of an OpenAPI v3 group-version document: one entry per resource and verb, tagged with
/// <c>x-kubernetes-group-version-kind</c> and <c>x-kubernetes-action</c>. kubectl reads them to decide two
/// things: that PATCH takes <c>fieldValidation</c> (so <c>--validate=strict</c> is left to the server), and
/// whether a kind takes strategic merge patches. Built-ins omit that media type here on purpose: kubectl
/// then builds strategic patches from its compiled-in Go types, which carry the patch strategies that our
/// schema-less built-in documents do not.
/// </summary>
internal static class OpenApiPaths
{
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation"];

    public static JsonObject For(IEnumerable<ResourceDefinition> definitions)
    {
        var paths = new JsonObject();
        foreach (var d in definitions)
        {
            var prefix = d.Group.Length == 0 ? $"/api/{d.Version}" : $"/apis/{d.Group}/{d.Version}";
            var scope = d.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{d.Resource}" : $"{prefix}/{d.Resource}";
            var gvk = new JsonObject { ["group"] = d.Group, ["version"] = d.Version, ["kind"] = d.Kind };
            paths[scope] = new JsonObject
            {
                ["get"] = Operation("list", d, gvk, [], false),
                ["post"] = Operation("post", d, gvk, WriteParameters, true),
                ["delete"] = Operation("deletecollection", d, gvk, [], false),
            };
            paths[$"{scope}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation("get", d, gvk, [], false),
                ["put"] = Operation("put", d, gvk, WriteParameters, true),
                ["patch"] = Operation("patch", d, gvk, [.. WriteParameters, "force"], true),
                ["delete"] = Operation("delete", d, gvk, ["dryRun", "gracePeriodSeconds", "propagationPolicy"], false),
            };
            if (d.HasStatus)
            {
                paths[$"{scope}/{{name}}/status"] = new JsonObject
                {
                    ["get"] = Operation("get", d, gvk, [], false),
                    ["put"] = Operation("put", d, gvk, WriteParameters, true),
                    ["patch"] = Operation("patch", d, gvk, [.. WriteParameters, "force"], true),
                };
            }
        }

        return paths;
    }

    private static JsonObject Operation(string action, ResourceDefinition d, JsonObject gvk, IEnumerable<string> parameters, bool body)
    {
        var op = new JsonObject
        {
            ["operationId"] = $"{action}{d.Kind}",
            ["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p,
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = p == "gracePeriodSeconds" ? "integer" : p == "force" ? "boolean" : "string", ["uniqueItems"] = true },
            })]),
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
        if (body)
        {
            var content = new JsonObject();
            IEnumerable<string> types = action == "patch" ? ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"] : ["application/json", "application/yaml"];
            foreach (var t in types)
            {
                content[t] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } };
            }

            op["requestBody"] = new JsonObject { ["content"] = content };
        }

        return op;
    }
}
