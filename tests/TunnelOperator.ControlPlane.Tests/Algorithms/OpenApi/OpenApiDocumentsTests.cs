using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.OpenApi;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.OpenApi;

public sealed class OpenApiDocumentsTests
{
    private static readonly JsonObject TunnelCrd = Json.Obj("""
        {'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition','metadata':{'name':'tunnels.tunneloperator.io'},
         'spec':{'group':'tunneloperator.io','scope':'Namespaced','names':{'kind':'Tunnel','listKind':'TunnelList','plural':'tunnels','singular':'tunnel'},
          'versions':[{'name':'v1alpha1','served':true,'storage':true,'subresources':{'status':{}},
            'schema':{'openAPIV3Schema':{'type':'object','description':'A Tunnel exposes a target.','properties':{
              'spec':{'type':'object','description':'What to expose.','properties':{
                'host':{'type':'string','description':'Public host name.'},
                'note':{'type':'string','nullable':true},
                'port':{'x-kubernetes-int-or-string':true,'anyOf':[{'type':'integer'},{'type':'string'}]},
                'template':{'type':'object','x-kubernetes-embedded-resource':true,'x-kubernetes-preserve-unknown-fields':true}}},
              'status':{'type':'object','properties':{'phase':{'type':'string'}}}}}}},
           {'name':'v1alpha0','served':false,'storage':false,'schema':{'openAPIV3Schema':{'type':'object'}}}]}}
        """);

    private static readonly JsonObject EdgeCrd = Json.Obj("""
        {'spec':{'group':'tunneloperator.io','scope':'Cluster','names':{'kind':'EdgeNode','listKind':'EdgeNodeList','plural':'edgenodes'},
          'versions':[{'name':'v1alpha1','served':true,'storage':true,'schema':{'openAPIV3Schema':{'type':'object'}}}]}}
        """);

    [Fact]
    public void V3Index_PointsAtEachGroupVersionWithItsHash()
    {
        var index = OpenApiDocuments.V3Index([("apis/tunneloperator.io/v1alpha1", "ABC"), ("api/v1", "DEF")]);

        Json.Equal("{'paths':{'api/v1':{'serverRelativeURL':'/openapi/v3/api/v1?hash=DEF'},'apis/tunneloperator.io/v1alpha1':{'serverRelativeURL':'/openapi/v3/apis/tunneloperator.io/v1alpha1?hash=ABC'}}}", index);
    }

    [Fact]
    public void Hash_IsAStableUpperCaseSha512()
    {
        var doc = OpenApiDocuments.V3GroupVersion("tunneloperator.io", "v1alpha1", [TunnelCrd]);

        var hash = OpenApiDocuments.Hash(doc);

        Assert.Equal(128, hash.Length);
        Assert.Equal(hash, hash.ToUpperInvariant());
        Assert.Equal(hash, OpenApiDocuments.Hash(OpenApiDocuments.V3GroupVersion("tunneloperator.io", "v1alpha1", [TunnelCrd])));
    }

    [Fact]
    public void V3_NamesSchemasLikeUpstreamAndTagsThemWithTheirKind()
    {
        var doc = OpenApiDocuments.V3GroupVersion("tunneloperator.io", "v1alpha1", [TunnelCrd, EdgeCrd]);
        var schemas = doc["components"]!["schemas"]!.AsObject();

        Assert.Equal("3.0.0", doc["openapi"]!.GetValue<string>());
        Json.Equal("[{'group':'tunneloperator.io','kind':'Tunnel','version':'v1alpha1'}]", schemas["io.tunneloperator.v1alpha1.Tunnel"]!["x-kubernetes-group-version-kind"]);
        Json.Equal("[{'group':'tunneloperator.io','kind':'TunnelList','version':'v1alpha1'}]", schemas["io.tunneloperator.v1alpha1.TunnelList"]!["x-kubernetes-group-version-kind"]);
        Assert.True(schemas.ContainsKey("io.tunneloperator.v1alpha1.EdgeNode"));
        Assert.True(schemas.ContainsKey("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        var tunnel = schemas["io.tunneloperator.v1alpha1.Tunnel"]!;
        Assert.Equal("A Tunnel exposes a target.", tunnel["description"]!.GetValue<string>());
        Json.Equal("[{'$ref':'#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'}]", tunnel["properties"]!["metadata"]!["allOf"]);
        Assert.Equal("string", tunnel["properties"]!["kind"]!["type"]!.GetValue<string>());
        Assert.True(tunnel["properties"]!["spec"]!["properties"]!["note"]!["nullable"]!.GetValue<bool>());
        Assert.NotNull(tunnel["properties"]!["spec"]!["properties"]!["template"]!["properties"]!["metadata"]);
    }

    [Fact]
    public void V3_PatchOperationsDeclareFieldValidation_TheWayKubectlLooksForIt()
    {
        var doc = OpenApiDocuments.V3GroupVersion("tunneloperator.io", "v1alpha1", [TunnelCrd]);

        // kubectl's supportsQueryParamV3: a PATCH operation tagged with the GVK that has the query parameter.
        var patch = doc["paths"]!.AsObject().Select(p => p.Value!["patch"]).OfType<JsonObject>()
            .First(op => op["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>() == "Tunnel");
        var names = patch["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToList();

        Assert.Contains("fieldValidation", names);
        Assert.Contains("fieldManager", names);
        Assert.Contains("dryRun", names);
        Assert.Contains("force", names);
        Assert.Equal("patch", patch["x-kubernetes-action"]!.GetValue<string>());
    }

    [Fact]
    public void V3_HasThePathsOfTheResourceAndItsStatus()
    {
        var doc = OpenApiDocuments.V3GroupVersion("tunneloperator.io", "v1alpha1", [TunnelCrd, EdgeCrd]);
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/apis/tunneloperator.io/v1alpha1/namespaces/{namespace}/tunnels", paths);
        Assert.Contains("/apis/tunneloperator.io/v1alpha1/namespaces/{namespace}/tunnels/{name}", paths);
        Assert.Contains("/apis/tunneloperator.io/v1alpha1/namespaces/{namespace}/tunnels/{name}/status", paths);
        Assert.Contains("/apis/tunneloperator.io/v1alpha1/tunnels", paths);
        Assert.Contains("/apis/tunneloperator.io/v1alpha1/edgenodes/{name}", paths);
        Assert.DoesNotContain("/apis/tunneloperator.io/v1alpha1/edgenodes/{name}/status", paths);
        Assert.Equal("listTunneloperatorIoV1alpha1NamespacedTunnel", doc["paths"]!["/apis/tunneloperator.io/v1alpha1/namespaces/{namespace}/tunnels"]!["get"]!["operationId"]!.GetValue<string>());
    }

    [Fact]
    public void V3_OnlyDescribesTheRequestedGroupVersion()
    {
        var doc = OpenApiDocuments.V3GroupVersion("tunneloperator.io", "v1alpha0", [TunnelCrd]);

        Assert.Empty(doc["paths"]!.AsObject());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryReference_ResolvesInsideTheDocument(bool v3)
    {
        var doc = v3 ? OpenApiDocuments.V3GroupVersion("tunneloperator.io", "v1alpha1", [TunnelCrd, EdgeCrd]) : OpenApiDocuments.V2([TunnelCrd, EdgeCrd]);
        var definitions = (v3 ? doc["components"]!["schemas"] : doc["definitions"])!.AsObject();
        var prefix = v3 ? "#/components/schemas/" : "#/definitions/";

        var refs = References(doc).ToList();

        Assert.NotEmpty(refs);
        Assert.All(refs, r =>
        {
            Assert.StartsWith(prefix, r, StringComparison.Ordinal);
            Assert.True(definitions.ContainsKey(r[prefix.Length..]), r);
        });
    }

    [Fact]
    public void V2_DropsWhatSwaggerCannotSay()
    {
        var doc = OpenApiDocuments.V2([TunnelCrd]);
        var spec = doc["definitions"]!["io.tunneloperator.v1alpha1.Tunnel"]!["properties"]!["spec"]!["properties"]!;

        Assert.Equal("2.0", doc["swagger"]!.GetValue<string>());
        Json.Equal("{}", spec["note"]);
        Json.Equal("{'x-kubernetes-int-or-string':true}", spec["port"]);
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", doc["definitions"]!["io.tunneloperator.v1alpha1.Tunnel"]!["properties"]!["metadata"]!["$ref"]!.GetValue<string>());
        var patch = doc["paths"]!["/apis/tunneloperator.io/v1alpha1/namespaces/{namespace}/tunnels/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };
}
