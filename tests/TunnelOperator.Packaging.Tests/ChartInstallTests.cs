using System.Text.Json.Nodes;
using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>
/// The chart rendered as <c>helm template</c> would and applied with kubectl into the local control plane, the
/// way <c>helm install</c> sends it (namespace first, CRDs from crds/ before the templates): with default values,
/// and with the overrides users reach for.
/// </summary>
public sealed class ChartInstallTests(ControlPlaneFixture plane) : IClassFixture<ControlPlaneFixture>
{
    private static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    private static IReadOnlyList<string> Args(JsonObject deployment) =>
        [.. PolicyRules.Strings(deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"])];

    public static readonly TheoryData<string> ApplyModes = new("--server-side=false", "--server-side=true");

    [Theory]
    [MemberData(nameof(ApplyModes))]
    public async Task DefaultValues_InstallIntoTheReleaseNamespace_AndDeleteLeavesNothing(string mode)
    {
        var kubectl = plane.Kubectl();
        var before = await Inventory.TakeAsync(kubectl);
        var ns = mode.EndsWith("true", StringComparison.Ordinal) ? "tunnels-ssa" : "tunnels-csa";
        var rendered = await HelmRender.RenderOkAsync("--name", "tunnel-operator", "--namespace", ns, "--include-crds");

        await kubectl.RunAsync("create", "namespace", ns);
        var applied = await kubectl.RunWithInputAsync(rendered.Manifests, "apply", mode, "-f", "-");
        Assert.Contains("deployment.apps/tunnel-operator", applied, StringComparison.Ordinal);
        await kubectl.RunAsync("wait", "--for=condition=Established", "--timeout=30s", "crd/tunnels.tunneloperator.io", "crd/edgenodes.tunneloperator.io");
        Assert.Matches(@"(?m)^tunnel-operator\s+0/2\s+0\s+0\s+\d+s\s*$", await kubectl.RunAsync("get", "deploy", "-n", ns));
        Assert.Equal(
            "role.rbac.authorization.k8s.io/tunnel-operator-leader-election\nrolebinding.rbac.authorization.k8s.io/tunnel-operator-leader-election\nservice/tunnel-operator-metrics\n",
            await kubectl.RunAsync("get", "role,rolebinding,service", "-n", ns, "-o", "name"));
        Assert.Matches(@"(?m)^tunnel-operator-manager\s+ClusterRole/tunnel-operator-manager\s", await kubectl.RunAsync("get", "clusterrolebinding", "tunnel-operator-manager"));
        Assert.Equal($"{ns}/tunnel-operator", await kubectl.RunAsync("get", "clusterrolebinding", "tunnel-operator-manager", "-o", "jsonpath={.subjects[0].namespace}/{.subjects[0].name}"));
        await kubectl.RunAsync("get", "serviceaccount", "tunnel-operator", "-n", ns);

        await kubectl.RunWithInputAsync(rendered.Manifests, "delete", "-f", "-", "--timeout=60s");
        await kubectl.RunAsync("delete", "namespace", ns, "--timeout=60s");
        Assert.Equal(before, await Inventory.TakeAsync(kubectl));
    }

    /// <summary>Renders with <paramref name="set"/>, applies into a new namespace, returns what was rendered.</summary>
    private async Task<IReadOnlyList<JsonObject>> InstallAsync(string release, string set)
    {
        var kubectl = plane.Kubectl();
        var rendered = await HelmRender.RenderOkAsync("--name", release, "--namespace", release, "--set", set);
        await kubectl.RunAsync("create", "namespace", release);
        await kubectl.RunWithInputAsync(rendered.Manifests, "apply", "--server-side", "-f", "-");
        return rendered.Objects;
    }

    [Fact]
    public async Task OneReplicaWithoutLeaderElection_DropsTheFlagAndTheLeaseRole()
    {
        var objects = await InstallAsync("single", "replicaCount=1,leaderElection.enabled=false");
        var deployment = objects.Single(o => Kind(o) == "Deployment");
        Assert.DoesNotContain("--leader-elect", Args(deployment));
        Assert.DoesNotContain(objects, o => Kind(o) is "Role" or "RoleBinding");
        var kubectl = plane.Kubectl();
        Assert.Equal("1", await kubectl.RunAsync("get", "deploy", "single-tunnel-operator", "-n", "single", "-o", "jsonpath={.spec.replicas}"));
        Assert.Equal("", await kubectl.RunAsync("get", "role,rolebinding", "-n", "single", "-o", "name"));
    }

    [Fact]
    public async Task WatchNamespace_AddsTheNamespaceFlag()
    {
        await InstallAsync("watching", "watchNamespace=x");
        var args = await plane.Kubectl().RunAsync("get", "deploy", "watching-tunnel-operator", "-n", "watching", "-o", "jsonpath={.spec.template.spec.containers[0].args}");
        Assert.Contains("\"--namespace=x\"", args, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsDisabled_RendersNoService()
    {
        var objects = await InstallAsync("quiet", "metrics.enabled=false");
        Assert.DoesNotContain(objects, o => Kind(o) == "Service");
        Assert.Equal("", await plane.Kubectl().RunAsync("get", "services", "-n", "quiet", "-o", "name"));
    }

    [Fact]
    public async Task TwoReplicasWithoutLeaderElection_FailsWithTheChartsMessage()
    {
        var output = await HelmRender.RenderAsync("--set", "replicaCount=2,leaderElection.enabled=false");
        Assert.NotEqual(0, output.ExitCode);
        Assert.Equal("", output.Manifests);
        Assert.Equal("Error: execution error at (tunnel-operator/templates/deployment.yaml:2:4): replicaCount > 1 needs leaderElection.enabled=true: only one replica may reconcile",
            output.Error.Trim());
    }
}
