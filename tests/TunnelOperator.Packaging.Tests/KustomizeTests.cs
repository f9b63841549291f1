using System.Text.Json.Nodes;
using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>
/// What <c>kubectl kustomize config/default</c> prints, with kubectl's built-in kustomize of both the
/// 1.33 and the default kubectl: every part, one namespace, prefixed names and references that still
/// point at the renamed objects.
/// </summary>
public sealed class KustomizeTests
{
    public const string Namespace = "tunneloperator-system";
    public const string Prefix = "tunneloperator-";

    private static readonly HashSet<string> ClusterScoped = ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"];

    public static TheoryData<string> Kubectls() => new(RequiredTool.Kubectls);

    private static async Task<IReadOnlyList<JsonObject>> RenderAsync(string kubectl) =>
        YamlDocuments.Parse(await Kubectl.Offline(kubectl).RunAsync("kustomize", Repository.Config("default")));

    private static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    private static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    [Theory]
    [MemberData(nameof(Kubectls))]
    public async Task Default_RendersTheCrdsRbacAndManager(string kubectl)
    {
        var kinds = (await RenderAsync(kubectl)).GroupBy(Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["Namespace"] = 1,
                ["CustomResourceDefinition"] = Directory.GetFiles(Repository.Config("crd", "bases")).Length,
                ["ServiceAccount"] = 1,
                ["ClusterRole"] = 1,
                ["ClusterRoleBinding"] = 1,
                ["Role"] = 1,
                ["RoleBinding"] = 1,
                ["Service"] = 1,
                ["Deployment"] = 1,
            },
            kinds);
    }

    [Theory]
    [MemberData(nameof(Kubectls))]
    public async Task Default_PutsEveryNamespacedObjectInTunneloperatorSystem(string kubectl)
    {
        foreach (var o in await RenderAsync(kubectl))
        {
            var ns = o["metadata"]!["namespace"]?.GetValue<string>();
            if (ClusterScoped.Contains(Kind(o)))
            {
                Assert.True(ns is null, $"{Kind(o)} {Name(o)} is cluster-scoped but names namespace {ns}");
            }
            else
            {
                Assert.True(ns == Namespace, $"{Kind(o)} {Name(o)} is in namespace '{ns}', not {Namespace}");
            }
        }

        Assert.Equal(Namespace, Name((await RenderAsync(kubectl)).Single(o => Kind(o) == "Namespace")));
    }

    [Theory]
    [MemberData(nameof(Kubectls))]
    public async Task Default_PrefixesNames_AndReferencesFollowTheRename(string kubectl)
    {
        var objects = await RenderAsync(kubectl);
        foreach (var o in objects.Where(o => Kind(o) is not ("Namespace" or "CustomResourceDefinition")))
        {
            Assert.StartsWith(Prefix, Name(o), StringComparison.Ordinal);
        }

        var serviceAccount = objects.Single(o => Kind(o) == "ServiceAccount");
        foreach (var binding in objects.Where(o => Kind(o) is "RoleBinding" or "ClusterRoleBinding"))
        {
            var subject = Assert.Single(binding["subjects"]!.AsArray().OfType<JsonObject>());
            Assert.Equal(("ServiceAccount", Name(serviceAccount), Namespace),
                (subject["kind"]!.GetValue<string>(), subject["name"]!.GetValue<string>(), subject["namespace"]!.GetValue<string>()));
            var roleRef = binding["roleRef"]!;
            Assert.Contains(objects, o => Kind(o) == roleRef["kind"]!.GetValue<string>() && Name(o) == roleRef["name"]!.GetValue<string>());
        }

        var deployment = objects.Single(o => Kind(o) == "Deployment");
        var podSpec = deployment["spec"]!["template"]!["spec"]!;
        Assert.Equal(Name(serviceAccount), podSpec["serviceAccountName"]!.GetValue<string>());
        var service = objects.Single(o => Kind(o) == "Service");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        foreach (var (key, value) in service["spec"]!["selector"]!.AsObject())
        {
            Assert.Equal(value!.GetValue<string>(), podLabels[key]?.GetValue<string>());
        }
    }

    [Fact]
    public void CrdKustomization_ListsEveryGeneratedBase()
    {
        var listed = PolicyRules.Strings(YamlDocuments.ParseFile("config", "crd", "kustomization.yaml").Single()["resources"]).Order(StringComparer.Ordinal);
        var files = Directory.GetFiles(Repository.Config("crd", "bases")).Select(f => "bases/" + Path.GetFileName(f)).Order(StringComparer.Ordinal);
        Assert.Equal(files, listed);
    }
}
