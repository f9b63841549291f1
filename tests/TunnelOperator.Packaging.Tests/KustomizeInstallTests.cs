using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>
/// <c>kubectl apply -k config/default</c> installs the operator into the local control plane (client-side and
/// server-side apply), and <c>kubectl delete -k config/default</c> leaves the plane as it was.
/// </summary>
public sealed class KustomizeInstallTests(ControlPlaneFixture plane) : IClassFixture<ControlPlaneFixture>
{
    private const string Ns = KustomizeTests.Namespace;

    public static readonly TheoryData<string> ApplyModes = new("--server-side=false", "--server-side=true");

    [Theory]
    [MemberData(nameof(ApplyModes))]
    public async Task ApplyK_InstallsEveryPart_AndDeleteK_LeavesNothing(string mode)
    {
        var kubectl = plane.Kubectl();
        var before = await Inventory.TakeAsync(kubectl);

        var applied = await kubectl.RunAsync("apply", mode, "-k", Repository.Config("default"));
        Assert.Contains("deployment.apps/tunneloperator-controller-manager", applied, StringComparison.Ordinal);
        var crds = Directory.GetFiles(Repository.Config("crd", "bases"))
            .Select(f => "crd/" + Path.GetFileNameWithoutExtension(f).Split('_')[1] + ".tunneloperator.io").ToArray();
        await kubectl.RunAsync(["wait", "--for=condition=Established", "--timeout=30s", .. crds]);
        Assert.Matches(@"(?m)^tunneloperator-controller-manager\s+0/2\s+0\s+0\s+\d+s\s*$", await kubectl.RunAsync("get", "deploy", "-n", Ns));
        Assert.Equal(
            "role.rbac.authorization.k8s.io/tunneloperator-leader-election-role\nrolebinding.rbac.authorization.k8s.io/tunneloperator-leader-election-rolebinding\n"
            + "service/tunneloperator-controller-manager-metrics\n",
            await kubectl.RunAsync("get", "role,rolebinding,service", "-n", Ns, "-o", "name"));
        await kubectl.RunAsync("get", "serviceaccount", "tunneloperator-controller-manager", "-n", Ns);
        Assert.Matches(@"(?m)^tunneloperator-manager-rolebinding\s+ClusterRole/tunneloperator-manager-role\s",
            await kubectl.RunAsync("get", "clusterrolebinding", "tunneloperator-manager-rolebinding"));
        await kubectl.RunAsync("get", "clusterrole", "tunneloperator-manager-role");

        // Applying again changes nothing.
        var again = await kubectl.RunAsync("apply", mode, "-k", Repository.Config("default"));
        Assert.DoesNotContain(" configured", again, StringComparison.Ordinal);

        // The Namespace is deleted first and takes its contents with it, so deleting them afterwards may find
        // them gone (on a cluster too, depending on the namespace controller): uninstall ignores NotFound.
        await kubectl.RunAsync("delete", "-k", Repository.Config("default"), "--ignore-not-found", "--timeout=60s");
        Assert.Equal(before, await Inventory.TakeAsync(kubectl));
    }
}
