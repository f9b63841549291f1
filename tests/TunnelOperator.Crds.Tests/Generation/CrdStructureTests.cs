using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Hives;
using TunnelOperator.Crds.PortForwards;
using TunnelOperator.Crds.TenantInvites;
using TunnelOperator.Crds.Tests.Support;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Tests.Generation;

/// <summary>
/// The generated manifests, read back from YAML, are CRDs the API server would accept: structural
/// schemas, valid defaults and list types, printer columns and subresources that point at real fields.
/// </summary>
public sealed partial class CrdStructureTests
{
    public static TheoryData<string> Kinds() => new(Manifests.Kinds);

    [Fact]
    public void EveryKind_HasOneManifest()
    {
        Assert.Equal(["EdgeNode", "Hive", "PortForward", "TenantInvite", "Tunnel"], Manifests.Kinds);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_IsStructural(string kind)
    {
        var errors = StructuralSchemaChecker.Check(Manifests.Schema(kind));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("EdgeNode", "edgenodes", "edge")]
    [InlineData("Hive", "hives", "hive")]
    [InlineData("PortForward", "portforwards", "pf")]
    [InlineData("TenantInvite", "tenantinvites", "invite")]
    [InlineData("Tunnel", "tunnels", "tun")]
    public void Names_FollowTheApiConventions(string kind, string plural, string shortName)
    {
        var crd = Manifests.Crd(kind);
        Assert.Equal("apiextensions.k8s.io/v1", crd["apiVersion"]!.GetValue<string>());
        Assert.Equal("CustomResourceDefinition", crd["kind"]!.GetValue<string>());
        Assert.Equal($"{plural}.tunneloperator.io", crd["metadata"]!["name"]!.GetValue<string>());
        var spec = crd["spec"]!;
        Assert.Equal("tunneloperator.io", spec["group"]!.GetValue<string>());
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.Equal(plural, spec["names"]!["plural"]!.GetValue<string>());
        Assert.Equal(kind.ToLowerInvariant(), spec["names"]!["singular"]!.GetValue<string>());
        Assert.Equal(kind + "List", spec["names"]!["listKind"]!.GetValue<string>());
        Assert.Equal([shortName], spec["names"]!["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Our own category only: `kubectl get all` is for workloads, as cert-manager also decides.
        Assert.Equal(["tunneloperator"], spec["names"]!["categories"]!.AsArray().Select(n => n!.GetValue<string>()));

        var version = Manifests.Version(kind);
        Assert.Equal("v1alpha1", version["name"]!.GetValue<string>());
        Assert.True(version["served"]!.GetValue<bool>());
        Assert.True(version["storage"]!.GetValue<bool>());
    }

    [Fact]
    public void Names_AgreeWithTheResourceTheClientUses()
    {
        AssertResource<EdgeNode>();
        AssertResource<Hive>();
        AssertResource<PortForward>();
        AssertResource<TenantInvite>();
        AssertResource<Tunnel>();

        static void AssertResource<T>()
            where T : KubernetesObject, IKubernetesEntity<T>
        {
            var spec = Manifests.Crd(T.Resource.Kind)["spec"]!;
            Assert.Equal(T.Resource.Group, spec["group"]!.GetValue<string>());
            Assert.Equal(T.Resource.Version, spec["versions"]![0]!["name"]!.GetValue<string>());
            Assert.Equal(T.Resource.Plural, spec["names"]!["plural"]!.GetValue<string>());
            Assert.Equal(T.Resource.Namespaced ? "Namespaced" : "Cluster", spec["scope"]!.GetValue<string>());
            Assert.Equal(CrdGroup.ApiVersion, T.Resource.ApiVersion);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKind_HasAStatusSubresourceAndRequiresSpec(string kind)
    {
        Assert.NotNull(Manifests.Version(kind)["subresources"]?["status"]);
        Assert.Contains("spec", Manifests.Schema(kind)["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void EdgeNode_ScalesThroughSpecReplicas()
    {
        var scale = Manifests.Version("EdgeNode")["subresources"]!["scale"]!;
        var schema = Manifests.Schema("EdgeNode");
        Assert.Equal("integer", Resolve(schema, scale["specReplicasPath"]!.GetValue<string>())["type"]!.GetValue<string>());
        Assert.Equal("integer", Resolve(schema, scale["statusReplicasPath"]!.GetValue<string>())["type"]!.GetValue<string>());
        Assert.Equal("string", Resolve(schema, scale["labelSelectorPath"]!.GetValue<string>())["type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PrinterColumns_PointAtFieldsOfTheirType(string kind)
    {
        var columns = Manifests.Version(kind)["additionalPrinterColumns"]!.AsArray().Cast<JsonObject>().ToList();
        Assert.Equal("Age", columns[^1]["name"]!.GetValue<string>());
        Assert.DoesNotContain(columns, c => c["name"]!.GetValue<string>().Equals("Name", StringComparison.OrdinalIgnoreCase));
        foreach (var column in columns)
        {
            var path = column["jsonPath"]!.GetValue<string>();
            var type = column["type"]!.GetValue<string>();
            if (path == ".metadata.creationTimestamp")
            {
                Assert.Equal("date", type);
                continue;
            }

            var field = Resolve(Manifests.Schema(kind), path);
            var expected = field["format"]?.GetValue<string>() == "date-time" ? "date" : field["type"]!.GetValue<string>();
            Assert.True(expected == type, $"{kind} column {column["name"]} is {type} but {path} is {expected}");
        }
    }

    [Fact]
    public void Tunnel_PrintsUrlReadyReasonAndAge_AndEdgeAndProtocolWhenWide()
    {
        var columns = Manifests.Version("Tunnel")["additionalPrinterColumns"]!.AsArray()
            .Select(c => (Name: c!["name"]!.GetValue<string>(), Priority: c["priority"]?.GetValue<int>() ?? 0))
            .ToList();
        Assert.Equal(["URL", "Ready", "Reason", "Age"], columns.Where(c => c.Priority == 0).Select(c => c.Name));
        Assert.Equal(["Edge", "Protocol"], columns.Where(c => c.Priority == 1).Select(c => c.Name));
    }

    [Fact]
    public void Tunnel_DeclaresExactlyOneTargetAsCel()
    {
        var target = Resolve(Manifests.Schema("Tunnel"), ".spec.target");
        var rule = Assert.Single(target["x-kubernetes-validations"]!.AsArray());
        Assert.Equal("has(self.service) != has(self.url)", rule!["rule"]!.GetValue<string>());
        Assert.Null(target["oneOf"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Manifest_StartsWithTheGeneratedHeader(string kind)
    {
        var yaml = CrdManifests.GenerateAll().Single(f => YamlJson.Parse(f.Yaml)["spec"]!["names"]!["kind"]!.GetValue<string>() == kind).Yaml;
        Assert.StartsWith("# Generated by `make manifests`", yaml, StringComparison.Ordinal);
        Assert.EndsWith("\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", yaml, StringComparison.Ordinal);
    }

    /// <summary>Follows a printer-column JSONPath through the schema, skipping filters and indexes.</summary>
    private static JsonObject Resolve(JsonObject schema, string jsonPath)
    {
        var current = schema;
        foreach (var segment in Filter().Replace(jsonPath, "").Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current["type"]?.GetValue<string>() == "array")
            {
                current = (JsonObject)current["items"]!;
            }

            current = current["properties"]?[segment] as JsonObject ?? throw new InvalidOperationException($"{jsonPath}: no field {segment}");
        }

        return current;
    }

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Filter();
}
