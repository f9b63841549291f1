namespace TunnelOperator.ControlPlane.Tests.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task ApiResources_ListsBuiltinsAndTheCrd()
    {
        await EnsureCrdAsync();
        var output = await Kubectl("api-resources");
        Assert.Matches(@"(?m)^widgets\s+wg\s+example\.tunneloperator\.io/v1\s+true\s+Widget\s*$", output);
        Assert.Matches(@"(?m)^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$", output);
        Assert.Matches(@"(?m)^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$", output);
    }

    [Fact]
    public async Task Apply_ClientSide_CreatesThenUnchangedThenConfigured()
    {
        var ns = await NamespaceAsync("k-apply");
        var path = _harness.Write("apply-cm.yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: {ns}
            data:
              mode: fast
            """);
        Assert.Equal("configmap/settings created", (await Kubectl("apply", "-f", path)).Trim());
        Assert.Equal("configmap/settings unchanged", (await Kubectl("apply", "-f", path)).Trim());
        File.WriteAllText(path, File.ReadAllText(path).Replace("fast", "slow", StringComparison.Ordinal));
        Assert.Equal("configmap/settings configured", (await Kubectl("apply", "-f", path)).Trim());
        Assert.Equal("slow", await Kubectl("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.mode}"));
    }

    [Fact]
    public async Task Apply_CustomResource_CreatesThenUnchangedThenConfigured()
    {
        await EnsureCrdAsync();
        var ns = await NamespaceAsync("k-apply-cr");
        var path = _harness.Write("apply-widget.yaml", Widget("w1", ns, 80));
        Assert.Equal("widget.example.tunneloperator.io/w1 created", (await Kubectl("apply", "-f", path)).Trim());
        Assert.Equal("widget.example.tunneloperator.io/w1 unchanged", (await Kubectl("apply", "-f", path)).Trim());
        _harness.Write("apply-widget.yaml", Widget("w1", ns, 8080));
        Assert.Equal("widget.example.tunneloperator.io/w1 configured", (await Kubectl("apply", "-f", path)).Trim());
        Assert.Equal("8080", await Kubectl("get", "wg", "w1", "-n", ns, "-o", "jsonpath={.spec.port}"));
    }

    [Fact]
    public async Task Apply_Deployment_MergesContainersStrategically()
    {
        var ns = await NamespaceAsync("k-apply-deploy");
        string Deployment(string image) => $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: {ns}
            spec:
              replicas: 2
              selector:
                matchLabels: {"{"}app: web{"}"}
              template:
                metadata:
                  labels: {"{"}app: web{"}"}
                spec:
                  containers:
                  - name: web
                    image: {image}
                    ports:
                    - containerPort: 80
            """;
        var path = _harness.Write("apply-deploy.yaml", Deployment("nginx:1.27"));
        Assert.Equal("deployment.apps/web created", (await Kubectl("apply", "-f", path)).Trim());
        Assert.Equal("deployment.apps/web unchanged", (await Kubectl("apply", "-f", path)).Trim());
        _harness.Write("apply-deploy.yaml", Deployment("nginx:1.28"));
        Assert.Equal("deployment.apps/web configured", (await Kubectl("apply", "-f", path)).Trim());
        Assert.Equal("nginx:1.28", await Kubectl("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        Assert.Equal("2", await Kubectl("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.generation}"));
    }

    [Fact]
    public async Task Apply_ServerSide_ConflictsBetweenManagersUntilForced()
    {
        await EnsureCrdAsync();
        var ns = await NamespaceAsync("k-ssa");
        var path = _harness.Write("ssa-widget.yaml", Widget("shared", ns, 80));
        Assert.Equal("widget.example.tunneloperator.io/shared serverside-applied", (await Kubectl("apply", "--server-side", "--field-manager=alice", "-f", path)).Trim());
        var other = _harness.Write("ssa-widget-bob.yaml", Widget("shared", ns, 90));
        var conflict = await KubectlResult("apply", "--server-side", "--field-manager=bob", "-f", other);
        Assert.False(conflict.Succeeded, conflict.ToString());
        Assert.Contains("conflict", conflict.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("alice", conflict.StandardError, StringComparison.Ordinal);
        Assert.Contains(".spec.port", conflict.StandardError, StringComparison.Ordinal);

        await Kubectl("apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", other);
        Assert.Equal("90", await Kubectl("get", "wg", "shared", "-n", ns, "-o", "jsonpath={.spec.port}"));
        var managers = await Kubectl("get", "wg", "shared", "-n", ns, "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}");
        Assert.Contains("bob", managers, StringComparison.Ordinal);
    }
}
