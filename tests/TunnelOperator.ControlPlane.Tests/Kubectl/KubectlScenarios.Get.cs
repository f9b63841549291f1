using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Kubectl;

public abstract partial class KubectlScenarios
{
    private async Task<string> WidgetNamespaceAsync(string ns, params (string Name, int Port)[] widgets)
    {
        await EnsureCrdAsync();
        await NamespaceAsync(ns);
        foreach (var (name, port) in widgets)
        {
            await Kubectl("apply", "-f", _harness.Write($"{ns}-{name}.yaml", Widget(name, ns, port)));
        }

        return ns;
    }

    private async Task SetReadyAsync(string ns, string name, string status)
    {
        var patch = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + status + "\",\"reason\":\"Test\",\"message\":\"set by the test\",\"lastTransitionTime\":\"2025-01-01T00:00:00Z\"}]}}";
        await Kubectl("patch", "widget", name, "-n", ns, "--subresource=status", "--type=merge", "-p", patch);
    }

    [Fact]
    public async Task Get_PrintsTheCrdColumns_AndWideAddsPriorityColumns()
    {
        var ns = await WidgetNamespaceAsync("k-get", ("alpha", 8080));
        await SetReadyAsync(ns, "alpha", "True");
        var table = await Kubectl("get", "widgets", "-n", ns);
        Assert.Matches(@"^NAME\s+PORT\s+READY\s+AGE\s*\n", table);
        Assert.Matches(@"(?m)^alpha\s+8080\s+True\s+\d+s\s*$", table);
        var wide = await Kubectl("get", "wg", "-n", ns, "-o", "wide");
        Assert.Matches(@"^NAME\s+PORT\s+HOST\s+READY\s+AGE\s*\n", wide);
        Assert.Contains("example.com", wide, StringComparison.Ordinal);
        // A category resolving to one resource type prints like that type (no kind prefix on names).
        Assert.Matches(@"(?m)^alpha\s+8080\s+True\s", await Kubectl("get", "tunnels", "-n", ns));
    }

    [Fact]
    public async Task Get_YamlJsonAndJsonPath()
    {
        var ns = await WidgetNamespaceAsync("k-output", ("beta", 81));
        var yaml = await Kubectl("get", "widget", "beta", "-n", ns, "-o", "yaml");
        Assert.Contains("kind: Widget", yaml, StringComparison.Ordinal);
        Assert.Contains("  port: 81", yaml, StringComparison.Ordinal);
        var json = JsonNode.Parse(await Kubectl("get", "widget", "beta", "-n", ns, "-o", "json"))!;
        Assert.Equal("example.com", json["spec"]!["host"]!.GetValue<string>());
        Assert.Equal("beta:81", await Kubectl("get", "widget", "-n", ns, "-o", "jsonpath={range .items[*]}{.metadata.name}:{.spec.port}{end}"));
        var list = JsonNode.Parse(await Kubectl("get", "configmaps,widgets", "-n", ns, "-o", "json"))!;
        Assert.Equal("List", list["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_Watch_ObservesAChange()
    {
        var ns = await NamespaceAsync("k-watch");
        await Kubectl("create", "configmap", "watched", "-n", ns, "--from-literal=a=1");
        using var watch = _kubectl.StartStreaming(["get", "configmap", "watched", "-n", ns, "-w"]);
        await watch.WaitForLineAsync(l => l.StartsWith("watched", StringComparison.Ordinal), Ct);
        await Kubectl("patch", "configmap", "watched", "-n", ns, "--type=merge", "-p", """{"data":{"b":"2"}}""");
        var line = await watch.WaitForLineAsync(l => l.StartsWith("watched", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(l, @"^watched\s+2\s"), Ct);
        Assert.Matches(@"^watched\s+2\s", line);
    }

    [Fact]
    public async Task Describe_ShowsFieldsAndEvents()
    {
        var ns = await WidgetNamespaceAsync("k-describe", ("gamma", 82));
        var described = await Kubectl("describe", "widget", "gamma", "-n", ns);
        Assert.Matches(@"(?m)^Name:\s+gamma\s*$", described);
        Assert.Matches(@"(?m)^Namespace:\s+k-describe\s*$", described);
        Assert.Matches(@"(?m)^\s+Port:\s+82\s*$", described);
        await Kubectl("create", "configmap", "described", "-n", ns, "--from-literal=k=v");
        Assert.Matches(@"(?m)^Name:\s+described\s*$", await Kubectl("describe", "configmap", "described", "-n", ns));
    }

    [Fact]
    public async Task Wait_ForReadyCondition_SetThroughStatus()
    {
        var ns = await WidgetNamespaceAsync("k-wait", ("delta", 83));
        var waiting = _kubectl.RunAsync(["wait", "--for=condition=Ready", "widget/delta", "-n", ns, "--timeout=60s"], Ct);
        await SetReadyAsync(ns, "delta", "True");
        var result = await waiting;
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("widget.example.tunneloperator.io/delta condition met", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Explain_DescribesTheCrdSchema()
    {
        await EnsureCrdAsync();
        var explained = await Kubectl("explain", "widgets.spec");
        Assert.Contains("port", explained, StringComparison.Ordinal);
        Assert.Contains("The port to expose.", explained, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEvents_ListsEventsOfTheNamespace()
    {
        var ns = await NamespaceAsync("k-events");
        var ev = _harness.Write("event.yaml", $"""
            apiVersion: v1
            kind: Event
            metadata:
              name: hello.1
              namespace: {ns}
            involvedObject:
              kind: ConfigMap
              name: settings
              namespace: {ns}
            reason: Tested
            message: something happened
            type: Normal
            firstTimestamp: "2025-01-01T00:00:00Z"
            lastTimestamp: "2025-01-01T00:00:00Z"
            count: 1
            source:
              component: test
            """);
        await Kubectl("create", "-f", ev);
        var events = await Kubectl("get", "events", "-n", ns);
        Assert.Contains("Tested", events, StringComparison.Ordinal);
        Assert.Contains("something happened", events, StringComparison.Ordinal);
    }
}
