namespace TunnelOperator.ControlPlane.Tests.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task Create_SecretConfigMapLabelAnnotate()
    {
        var ns = await NamespaceAsync("k-create");
        Assert.Equal("secret/creds created", (await Kubectl("create", "secret", "generic", "creds", "-n", ns, "--from-literal=user=admin", "--from-literal=pass=s3cret")).Trim());
        Assert.Equal("YWRtaW4=", await Kubectl("get", "secret", "creds", "-n", ns, "-o", "jsonpath={.data.user}"));
        Assert.Equal("configmap/cfg created", (await Kubectl("create", "configmap", "cfg", "-n", ns, "--from-literal=a=1")).Trim());
        Assert.Equal("configmap/cfg labeled", (await Kubectl("label", "configmap", "cfg", "-n", ns, "tier=gold")).Trim());
        Assert.Equal("configmap/cfg annotated", (await Kubectl("annotate", "configmap", "cfg", "-n", ns, "owner=team-a")).Trim());
        Assert.Equal("cfg", (await Kubectl("get", "configmap", "-n", ns, "-l", "tier=gold", "-o", "jsonpath={.items[*].metadata.name}")).Trim());
        Assert.Equal("team-a", await Kubectl("get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.metadata.annotations.owner}"));
        Assert.Equal("configmap/cfg unlabeled", (await Kubectl("label", "configmap", "cfg", "-n", ns, "tier-")).Trim());
    }

    [Fact]
    public async Task Patch_MergeJsonAndStrategic()
    {
        var ns = await NamespaceAsync("k-patch");
        await Kubectl("create", "configmap", "p", "-n", ns, "--from-literal=a=1");
        Assert.Equal("configmap/p patched", (await Kubectl("patch", "configmap", "p", "-n", ns, "--type=merge", "-p", """{"data":{"b":"2"}}""")).Trim());
        await Kubectl("patch", "configmap", "p", "-n", ns, "--type=json", "-p", """[{"op":"remove","path":"/data/a"}]""");
        await Kubectl("patch", "configmap", "p", "-n", ns, "--type=strategic", "-p", """{"data":{"c":"3"}}""");
        Assert.Equal("""{"b":"2","c":"3"}""", await Kubectl("get", "configmap", "p", "-n", ns, "-o", "jsonpath={.data}"));
        Assert.Equal("configmap/p patched (no change)", (await Kubectl("patch", "configmap", "p", "-n", ns, "--type=merge", "-p", """{"data":{"c":"3"}}""")).Trim());
    }

    [Fact]
    public async Task Replace_WritesTheWholeObject()
    {
        var ns = await NamespaceAsync("k-replace");
        await Kubectl("create", "configmap", "r", "-n", ns, "--from-literal=a=1");
        var yaml = await Kubectl("get", "configmap", "r", "-n", ns, "-o", "yaml");
        var path = _harness.Write("replace.yaml", yaml.Replace("a: \"1\"", "a: \"2\"", StringComparison.Ordinal));
        Assert.Equal("configmap/r replaced", (await Kubectl("replace", "-f", path)).Trim());
        Assert.Equal("2", await Kubectl("get", "configmap", "r", "-n", ns, "-o", "jsonpath={.data.a}"));
        var stale = await KubectlResult("replace", "-f", path);
        Assert.False(stale.Succeeded);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", stale.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_PlainAndWithFinalizer()
    {
        var ns = await NamespaceAsync("k-delete");
        await Kubectl("create", "configmap", "gone", "-n", ns);
        Assert.Equal("configmap \"gone\" deleted", (await Kubectl("delete", "configmap", "gone", "-n", ns)).Trim());
        Assert.False((await KubectlResult("get", "configmap", "gone", "-n", ns)).Succeeded);

        await Kubectl("apply", "-f", _harness.Write("held.yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: held
              namespace: {ns}
              finalizers: [example.com/hold]
            """));
        await Kubectl("delete", "configmap", "held", "-n", ns, "--wait=false");
        Assert.NotEmpty(await Kubectl("get", "configmap", "held", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp}"));
        await Kubectl("patch", "configmap", "held", "-n", ns, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""");
        var gone = await KubectlResult("get", "configmap", "held", "-n", ns);
        Assert.Contains("configmaps \"held\" not found", gone.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Namespace_WaitsUntilItIsGone()
    {
        var ns = await NamespaceAsync("k-delete-ns");
        await Kubectl("create", "configmap", "inside", "-n", ns);
        Assert.Equal($"namespace \"{ns}\" deleted", (await Kubectl("delete", "namespace", ns, "--timeout=60s")).Trim());
        Assert.False((await KubectlResult("get", "namespace", ns)).Succeeded);
    }
}
