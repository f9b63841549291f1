using System.Text.Json.Nodes;
using TunnelOperator.Crds.Tests.Support;

namespace TunnelOperator.Crds.Tests.Generation;

/// <summary>
/// kubectl reads our files as we mean them. No API server can be had here, and kubectl's apply
/// and create need one even with --dry-run=client (for discovery), but its built-in kustomize
/// parses YAML with the same Go libraries without one: what it prints back must equal what we
/// generated, value for value (a YAML 1.1 reader turns an unquoted True or no into a boolean).
/// Schema validation by an API server is left to the tests that run kubectl against our local
/// control plane.
/// </summary>
public sealed class KubectlKustomizeTests
{
    public static TheoryData<string> Binaries() => new(Kubectl.Binaries);

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Kubectl_ReadsTheManifests_AsGenerated(string kubectl)
    {
        var printed = await Kubectl.RunAsync(kubectl, ["kustomize", Path.Combine(RepoPaths.Root, "config", "crd")], TestContext.Current.CancellationToken);

        var read = YamlJson.ParseAll(printed).Cast<JsonObject>().ToDictionary(d => d["metadata"]!["name"]!.GetValue<string>());
        var generated = CrdManifests.GenerateAll().Select(f => (JsonObject)YamlJson.Parse(f.Yaml)).ToList();

        Assert.Equal(generated.Select(g => g["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        foreach (var crd in generated)
        {
            var name = crd["metadata"]!["name"]!.GetValue<string>();
            Assert.True(JsonNode.DeepEquals(crd, read[name]), $"kubectl reads {name} differently from what was generated");
        }
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Kubectl_ReadsTheSamples_AsWritten(string kubectl)
    {
        var samples = Path.Combine(RepoPaths.Root, "config", "samples");
        var printed = await Kubectl.RunAsync(kubectl, ["kustomize", samples], TestContext.Current.CancellationToken);

        var read = YamlJson.ParseAll(printed).Cast<JsonObject>()
            .Where(d => d["apiVersion"]!.GetValue<string>().StartsWith("tunneloperator.io/", StringComparison.Ordinal)) // not the sample origin's Deployment and Service
            .ToDictionary(d => d["kind"]!.GetValue<string>());
        Assert.Equal(Manifests.Kinds, read.Keys.Order(StringComparer.Ordinal));
        foreach (var (kind, sample) in read)
        {
            var file = Path.Combine(samples, $"tunneloperator.io_v1alpha1_{kind.ToLowerInvariant()}.yaml");
            Assert.True(JsonNode.DeepEquals(YamlJson.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)), sample), $"kubectl reads {file} differently");
        }
    }
}
