using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.OpenApi;

/// <summary>
/// The OpenAPI documents the apiserver publishes for custom resources (apiextensions-apiserver
/// pkg/controller/openapi/builder/builder.go): an OpenAPI v3 index (/openapi/v3), one v3 document per group
/// version (/openapi/v3/apis/{group}/{version}) and a Swagger 2.0 document (/openapi/v2). Each kind gets a
/// component schema named like upstream (io.tunneloperator.v1alpha1.Tunnel) carrying
/// x-kubernetes-group-version-kind, with metadata referencing ObjectMeta, and paths whose POST/PUT/PATCH
/// operations declare dryRun, fieldManager and fieldValidation, which is how kubectl decides the server
/// validates fields itself (kubectl's QueryParamVerifier looks for fieldValidation on the kind's PATCH).
/// </summary>
/// <remarks>
/// Built-in kinds are deliberately not described: without their schemas kubectl falls back to its
/// compiled-in knowledge (strategic merge patch metadata, client-side defaults) for them, and describing them
/// faithfully would mean shipping the whole core OpenAPI. Scale subresources are not described either.
/// </remarks>
public static partial class OpenApiDocuments
{
    /// <summary>
    /// The /openapi/v3 discovery document: for each group version path (<c>api/v1</c>,
    /// <c>apis/tunneloperator.io/v1alpha1</c>), the URL of its document with its hash.
    /// </summary>
    public static JsonObject V3Index(IEnumerable<(string GroupVersionPath, string Hash)> groupVersions)
    {
        ArgumentNullException.ThrowIfNull(groupVersions);
        var paths = new JsonObject();
        foreach (var (path, hash) in groupVersions.OrderBy(g => g.GroupVersionPath, StringComparer.Ordinal))
        {
            var trimmed = path.Trim('/');
            paths[trimmed] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{trimmed}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The hash upstream puts in serverRelativeURL and the ETag: SHA-512 of the document's JSON, upper-case hex.</summary>
    public static string Hash(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));
    }

    /// <summary>The v3 document of one group version, from the CRDs (apiextensions.k8s.io/v1 objects) that serve it.</summary>
    public static JsonObject V3GroupVersion(string group, string version, IEnumerable<JsonObject> crds)
    {
        ArgumentNullException.ThrowIfNull(crds);
        var versions = crds.SelectMany(CrdVersion.From).Where(v => v.Group == group && v.Version == version).ToList();
        var builder = new DocumentBuilder(v3: true);
        foreach (var v in versions)
        {
            builder.Add(v);
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["paths"] = builder.Paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = builder.Definitions(),
                ["securitySchemes"] = new JsonObject
                {
                    ["BearerToken"] = new JsonObject { ["type"] = "apiKey", ["description"] = "Bearer Token authentication", ["name"] = "authorization", ["in"] = "header" },
                },
            },
        };
    }

    /// <summary>The Swagger 2.0 document describing every served version of the given CRDs.</summary>
    public static JsonObject V2(IEnumerable<JsonObject> crds)
    {
        ArgumentNullException.ThrowIfNull(crds);
        var builder = new DocumentBuilder(v3: false);
        foreach (var v in crds.SelectMany(CrdVersion.From))
        {
            builder.Add(v);
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["paths"] = builder.Paths,
            ["definitions"] = builder.Definitions(),
            ["securityDefinitions"] = new JsonObject
            {
                ["BearerToken"] = new JsonObject { ["description"] = "Bearer Token authentication", ["type"] = "apiKey", ["name"] = "authorization", ["in"] = "header" },
            },
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
        };
    }
}
