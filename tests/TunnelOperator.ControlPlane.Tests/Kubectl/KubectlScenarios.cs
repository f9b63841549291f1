using TunnelOperator.Testing;

namespace TunnelOperator.ControlPlane.Tests.Kubectl;

/// <summary>
/// The real kubectl against the local control plane, as a user would drive it. One subclass per kubectl
/// binary, each with its own control plane, so the two versions run in parallel; every test works in its own
/// namespace.
/// </summary>
public abstract partial class KubectlScenarios
{
    private readonly KubectlHarness _harness;
    private readonly KubectlRunner _kubectl;

    protected KubectlScenarios(KubectlHarness harness, string binary)
    {
        _harness = harness;
        _kubectl = new KubectlRunner(binary, harness.Plane.Plane.KubeconfigPath);
        if (KubectlRunner.Unavailable(binary) is { } missing)
        {
            // make test installs every peer; a missing one fails the run, never skips it.
            Assert.Fail(missing);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs kubectl and requires success; returns standard output.</summary>
    private async Task<string> Kubectl(params string[] args)
    {
        var result = await _kubectl.RunAsync(args, Ct);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}\n{result}");
        return result.StandardOutput;
    }

    private Task<KubectlResult> KubectlResult(params string[] args) => _kubectl.RunAsync(args, Ct);

    private async Task<string> NamespaceAsync(string name)
    {
        Assert.Equal($"namespace/{name} created", (await Kubectl("create", "namespace", name)).Trim());
        return name;
    }

    private async Task EnsureCrdAsync()
    {
        var path = _harness.Write("crd.yaml", KubectlHarness.WidgetCrdYaml);
        await Kubectl("apply", "-f", path);
        await Kubectl("wait", "--for=condition=Established", "crd/widgets.example.tunneloperator.io", "--timeout=30s");
    }

    private static string Widget(string name, string ns, int port, string extra = "") => $"""
        apiVersion: example.tunneloperator.io/v1
        kind: Widget
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          port: {port}{extra}
        """;
}
