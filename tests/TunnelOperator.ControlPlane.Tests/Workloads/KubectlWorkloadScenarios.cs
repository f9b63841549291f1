using System.Text.Json.Nodes;
using TunnelOperator.Testing;

namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>kubectl 1.33 against the workload runner.</summary>
public sealed class KubectlWorkloads133Tests(WorkloadHarness harness) : KubectlWorkloadScenarios(harness, KubectlRunner.KnownBinaries[0]), IClassFixture<WorkloadHarness>;

/// <summary>The machine's default kubectl (1.32) against the workload runner.</summary>
public sealed class KubectlWorkloadsDefaultTests(WorkloadHarness harness) : KubectlWorkloadScenarios(harness, KubectlRunner.KnownBinaries[1]), IClassFixture<WorkloadHarness>;

/// <summary>
/// What a user does with kubectl against <c>tunneld local</c>: typed create commands (protobuf bodies),
/// scale, rollout status, expose, logs (also followed and previous), run, delete that waits for the kubelet.
/// </summary>
public abstract class KubectlWorkloadScenarios
{
    private readonly WorkloadHarness _harness;
    private readonly KubectlRunner _kubectl;

    protected KubectlWorkloadScenarios(WorkloadHarness harness, string binary)
    {
        _harness = harness;
        _kubectl = new KubectlRunner(binary, harness.Plane.Plane.KubeconfigPath);
        if (KubectlRunner.Unavailable(binary) is { } missing)
        {
            // make test installs every peer; a missing one fails the run, never skips it.
            Assert.Fail(missing);
        }
    }

    private async Task<string> Kubectl(params string[] args)
    {
        var result = await _kubectl.RunAsync(args, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}\n{result}");
        return result.StandardOutput;
    }

    [Fact]
    public async Task CreateScaleExposeLogsDelete_ADeployment()
    {
        Assert.Equal("deployment.apps/web created", (await Kubectl("create", "deployment", "web", $"--image={WorkloadHarness.Image}", "--port=8080",
            "--", "tunneld", "serve", "--http", "$(POD_IP):8080")).Trim());
        await Kubectl("patch", "deployment", "web", "--type=json", "-p",
            """[{"op":"add","path":"/spec/template/spec/containers/0/env","value":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}]}]""");
        Assert.Equal("deployment.apps/web scaled", (await Kubectl("scale", "deployment", "web", "--replicas=2")).Trim());
        Assert.Contains("successfully rolled out", await Kubectl("rollout", "status", "deployment/web", "--timeout=60s"), StringComparison.Ordinal);

        var pods = await Kubectl("get", "pods", "-l", "app=web", "-o", "wide", "--no-headers");
        var lines = pods.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^web-\w+-\w{5}\s+1/1\s+Running\s+0\s+\S+\s+127\.244\.\d+\.\d+\s+tunneld-local\s", l));
        Assert.Contains("2/2", await Kubectl("get", "deployment", "web", "--no-headers"), StringComparison.Ordinal);

        Assert.Equal("service/web exposed", (await Kubectl("expose", "deployment", "web", "--port=80", "--target-port=8080")).Trim());
        var clusterIp = await Kubectl("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}");
        await _harness.WaitAsync("/api/v1/namespaces/default/endpoints/web", e => e?["subsets"]?[0]?["addresses"] is JsonArray { Count: 2 }, "two endpoints");
        Assert.StartsWith("hello from web-", await WorkloadHarness.HttpGetAsync(clusterIp, 80), StringComparison.Ordinal);
        Assert.Matches(@"127\.244\.\d+\.\d+:8080,127\.244\.\d+\.\d+:8080", await Kubectl("get", "endpoints", "web", "--no-headers"));

        Assert.Equal("service/web-lb exposed", (await Kubectl("expose", "deployment", "web", "--name=web-lb", "--type=LoadBalancer", "--port=8444", "--target-port=8080")).Trim());
        await _harness.WaitAsync("/api/v1/namespaces/default/services/web-lb", s => s?["status"]?["loadBalancer"]?["ingress"] is not null, "ingress");
        Assert.Contains(_harness.LoadBalancerAddress, await Kubectl("get", "service", "web-lb", "--no-headers"), StringComparison.Ordinal);
        await _harness.WaitAsync("/api/v1/namespaces/default/endpoints/web-lb", e => e?["subsets"]?[0]?["addresses"] is not null, "load balancer endpoints");
        Assert.StartsWith("hello from web-", await WorkloadHarness.HttpGetAsync(_harness.LoadBalancerAddress, 8444), StringComparison.Ordinal);

        Assert.Contains("listening on 127.244.", await Kubectl("logs", "deployment/web"), StringComparison.Ordinal);
        Assert.Equal(2, (await Kubectl("logs", "-l", "app=web", "--tail=1")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal("deployment.apps \"web\" deleted", (await Kubectl("delete", "deployment", "web")).Trim());
        await _harness.WaitListAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb", p => p.Count == 0, "pods collected");
        Assert.Null(await WorkloadHarness.HttpGetAsync(clusterIp, 80));
    }

    /// <summary>
    /// kubectl's typed create commands send protobuf: what the server decodes must be what kubectl means, i.e.
    /// its own client-side JSON of the same command (every field it sets, with the same value).
    /// </summary>
    [Theory]
    [InlineData("deployment", "proto-deploy", "create deployment proto-deploy --image=tunneloperator:2 --replicas=0 --port=8080 -- tunneld serve --http $(POD_IP):8080")]
    [InlineData("deployment", "proto-images", "create deployment proto-images --image=registry.example/app:1 --image=tunneloperator:2 --replicas=0")]
    [InlineData("service", "proto-np", "create service nodeport proto-np --tcp=80:8080 --tcp=443:https --node-port=30999")]
    [InlineData("service", "proto-lb", "create service loadbalancer proto-lb --tcp=5353:53")]
    [InlineData("service", "proto-headless", "create service clusterip proto-headless --clusterip=None --tcp=9000:9000")]
    [InlineData("service", "proto-ext", "create service externalname proto-ext --external-name=example.com")]
    public async Task TypedCreateCommands_DecodeAsKubectlsOwnJson(string resource, string name, string command)
    {
        var args = command.Split(' ');
        var dash = Array.IndexOf(args, "--") is var i and >= 0 ? i : args.Length;
        var clientJson = JsonNode.Parse(await Kubectl([.. args[..dash], "--dry-run=client", "-o", "json", .. args[dash..]]))!;
        await Kubectl(args);
        var stored = JsonNode.Parse(await Kubectl("get", resource, name, "-o", "json"))!;
        foreach (var (path, value) in Leaves(clientJson, ""))
        {
            Assert.True(Lookup(stored, path) is { } actual && JsonNode.DeepEquals(actual, value),
                $"{path}: kubectl meant {value?.ToJsonString()}, the server stored {Lookup(stored, path)?.ToJsonString()}\n{stored.ToJsonString()}");
        }
    }

    /// <summary>Every scalar kubectl set, by path (nulls and empty objects are Go's unset values).</summary>
    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    foreach (var leaf in Leaves(value, $"{path}/{key}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Leaves(array[i], $"{path}/{i}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case null:
                break;
            default:
                yield return (path, node);
                break;
        }
    }

    private static JsonNode? Lookup(JsonNode? node, string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(node, (n, part) => n switch
        {
            JsonObject o => o[part],
            JsonArray a when int.TryParse(part, out var i) && i < a.Count => a[i],
            _ => null,
        });

    [Fact]
    public async Task RunFollowLogsPreviousLogsAndDelete_Pods()
    {
        Assert.Equal("pod/printer created", (await Kubectl("run", "printer", $"--image={WorkloadHarness.Image}", "--command", "--", "tunneld", "print", "hello")).Trim());
        await Kubectl("wait", "--for=condition=Ready", "pod/printer", "--timeout=30s");
        using (var follow = _kubectl.StartStreaming(["logs", "-f", "printer"]))
        {
            await follow.WaitForLineAsync(l => l == "printed", TestContext.Current.CancellationToken);
        }

        Assert.Contains("arg=hello\n", await Kubectl("logs", "printer"), StringComparison.Ordinal);
        var described = await Kubectl("describe", "pod", "printer");
        Assert.Contains("Successfully assigned default/printer to tunneld-local", described, StringComparison.Ordinal);
        Assert.Contains("Started container printer", described, StringComparison.Ordinal);
        Assert.Matches(@"IP:\s+127\.244\.", described);
        Assert.Equal("pod \"printer\" deleted", (await Kubectl("delete", "pod", "printer")).Trim());
        Assert.Contains("NotFound", (await _kubectl.RunAsync(["get", "pod", "printer"], TestContext.Current.CancellationToken)).StandardError, StringComparison.Ordinal);

        await Kubectl("run", "crash", $"--image={WorkloadHarness.Image}", "--command", "--", "tunneld", "crash", "2");
        using (var watch = _kubectl.StartStreaming(["get", "pod", "crash", "-w", "--no-headers"]))
        {
            await watch.WaitForLineAsync(l => l.Contains("CrashLoopBackOff", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        }

        Assert.Equal("crashing\n", await Kubectl("logs", "crash", "--previous"));

        await Kubectl("run", "nginx", "--image=nginx:1.27");
        await _harness.WaitListAsync("/api/v1/namespaces/default/events?fieldSelector=reason%3DUnsupportedImage", e => e.Count > 0, "UnsupportedImage event");
        var events = await Kubectl("get", "events", "--field-selector", "reason=UnsupportedImage", "--no-headers");
        Assert.Contains("pod/nginx", events, StringComparison.Ordinal);
        Assert.Matches(@"^nginx\s+0/1\s+UnsupportedImage\s", await Kubectl("get", "pod", "nginx", "--no-headers"));
        Assert.Equal("Pending", await Kubectl("get", "pod", "nginx", "-o", "jsonpath={.status.phase}"));
    }
}
