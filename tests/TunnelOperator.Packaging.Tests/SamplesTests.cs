using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>The samples apply cleanly once the CRDs are installed, as the README's quick start does it.</summary>
public sealed class SamplesTests(ControlPlaneFixture plane) : IClassFixture<ControlPlaneFixture>
{
    [Fact]
    public async Task ApplyK_Samples_CreatesEveryObjectAfterTheCrds_AndApplyF_SeesTheSameObjects()
    {
        var kubectl = plane.Kubectl();
        await kubectl.RunAsync("apply", "-k", Repository.Config("crd"));
        await kubectl.RunAsync("wait", "--for=condition=Established", "--timeout=30s", "crd", "--all");

        var applied = await kubectl.RunAsync("apply", "-k", Repository.Config("samples"));
        var samples = YamlDocuments.Parse(await Kubectl.Offline(RequiredTool.Kubectls[0]).RunAsync("kustomize", Repository.Config("samples")));
        foreach (var sample in samples)
        {
            var name = sample["metadata"]!["name"]!.GetValue<string>();
            Assert.Matches($@"(?m)^\S+/{System.Text.RegularExpressions.Regex.Escape(name)} created$", applied);
            var kind = sample["kind"]!.GetValue<string>().ToLowerInvariant();
            var group = sample["apiVersion"]!.GetValue<string>() is var v && v.Contains('/', StringComparison.Ordinal) ? "." + v[..v.IndexOf('/', StringComparison.Ordinal)] : "";
            await kubectl.RunAsync("get", $"{kind}{group}/{name}", "-n", sample["metadata"]!["namespace"]?.GetValue<string>() ?? "default");
        }

        Assert.Contains(samples, s => s["kind"]!.GetValue<string>() == "Tunnel");

        // The README's `apply -f config/samples/` takes the same objects and nothing else (the
        // Kustomization file has no .yaml extension, so -f passes it by): all unchanged now.
        var again = await kubectl.RunAsync("apply", "-f", Repository.Config("samples") + "/");
        Assert.Equal(samples.Count, again.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(again.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith(" unchanged", line, StringComparison.Ordinal));
        await kubectl.RunAsync("delete", "-k", Repository.Config("samples"), "--timeout=60s");
    }
}
