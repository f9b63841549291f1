using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>Services on loopback: clusterIPs, Endpoints that follow readiness, TCP and UDP forwarding, load balancers and node ports.</summary>
public sealed class ServiceProxyTests(WorkloadHarness harness) : IClassFixture<WorkloadHarness>
{
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    private const string Services = "/api/v1/namespaces/default/services";

    private static JsonObject Service(string name, string app, string type = "ClusterIP", int webPort = 80) => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","labels":{"team":"edge"}},
         "spec":{"type":"{{{type}}}","selector":{"app":"{{{app}}}"},
           "ports":[{"name":"web","port":{{{webPort}}},"targetPort":"http"},{"name":"dns","port":53,"targetPort":5353,"protocol":"UDP"}]}}
        """)!.AsObject();

    private async Task<HashSet<string>> AnswersAsync(string ip, int port, int requests)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            if (await WorkloadHarness.HttpGetAsync(ip, port) is { } body)
            {
                seen.Add(body.Trim());
            }
        }

        return seen;
    }

    [Fact]
    public async Task ClusterIpService_ForwardsTcpAndUdpToReadyPods_AndFollowsReadiness()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Deployments, WorkloadHarness.Deployment("backend", 2, "backend", "--ready-file ready", readinessPath: "/ready"))).Code);
        var svc = await harness.Api.PostAsync(Services, Service("backend", "backend"));
        Assert.Equal(201, svc.Code);
        var ip = (string)svc.Object["spec"]!["clusterIP"]!;
        Assert.StartsWith($"127.96.{harness.Subnet}.", ip, StringComparison.Ordinal);

        var pods = await harness.WaitListAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dbackend",
            p => p.Count == 2 && p.All(x => x["status"]?["podIP"] is not null), "two pods with IPs");
        var endpoints = await harness.WaitAsync("/api/v1/namespaces/default/endpoints/backend",
            e => e?["subsets"]?[0]?["notReadyAddresses"] is JsonArray { Count: 2 }, "two not-ready addresses");
        Assert.Equal("edge", (string?)endpoints!["metadata"]!["labels"]!["team"]);
        Assert.Null(await WorkloadHarness.HttpGetAsync(ip, 80));

        // Readiness comes from a file in the pod's directory (its working directory).
        var (first, second) = (WorkloadHarness.Name(pods[0]), WorkloadHarness.Name(pods[1]));
        await File.WriteAllTextAsync(Path.Combine(harness.PodDirectory("default", first), "ready"), "", TestContext.Current.CancellationToken);
        endpoints = await harness.WaitAsync("/api/v1/namespaces/default/endpoints/backend",
            e => e?["subsets"]?[0]?["addresses"] is JsonArray { Count: 1 }, "one ready address");
        var subset = endpoints!["subsets"]![0]!;
        Assert.Equal(first, (string?)subset["addresses"]![0]!["targetRef"]!["name"]);
        Assert.Contains(subset["ports"]!.AsArray(), p => (string?)p!["name"] == "web" && (long?)p["port"] == 8080 && (string?)p["protocol"] == "TCP");
        Assert.Contains(subset["ports"]!.AsArray(), p => (string?)p!["name"] == "dns" && (long?)p["port"] == 5353 && (string?)p["protocol"] == "UDP");
        Assert.Equal([$"hello from {first}"], await AnswersAsync(ip, 80, 4));
        Assert.Equal($"{first}:ping", await WorkloadHarness.UdpAskAsync(ip, 53, "ping"));
        await harness.WaitAsync("/apis/apps/v1/namespaces/default/deployments/backend", d => (long?)d?["status"]?["readyReplicas"] == 1, "readyReplicas 1");

        await File.WriteAllTextAsync(Path.Combine(harness.PodDirectory("default", second), "ready"), "", TestContext.Current.CancellationToken);
        await harness.WaitAsync("/api/v1/namespaces/default/endpoints/backend", e => e?["subsets"]?[0]?["addresses"] is JsonArray { Count: 2 }, "two ready addresses");
        Assert.Equal([$"hello from {first}", $"hello from {second}"], (await AnswersAsync(ip, 80, 6)).Order());

        File.Delete(Path.Combine(harness.PodDirectory("default", first), "ready"));
        await harness.WaitAsync("/api/v1/namespaces/default/endpoints/backend", e => e?["subsets"]?[0]?["addresses"] is JsonArray { Count: 1 }, "back to one ready address");
        Assert.Equal([$"hello from {second}"], await AnswersAsync(ip, 80, 4));

        var hosts = await File.ReadAllTextAsync(Path.Combine(harness.Plane.DataDirectory, "hosts"), TestContext.Current.CancellationToken);
        Assert.Contains($"{ip} backend.default.svc.cluster.local backend.default.svc backend.default\n", hosts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadBalancerService_ListensOnTheLoadBalancerAddressAndNodePort_AndReportsIngress()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Deployments, WorkloadHarness.Deployment("front", 1, "front"))).Code);
        var created = await harness.Api.PostAsync(Services, Service("front", "front", "LoadBalancer", webPort: 8443));
        Assert.Equal(201, created.Code);
        var nodePort = (long)created.Object["spec"]!["ports"]![0]!["nodePort"]!;
        Assert.InRange(nodePort, 30000, 32767);

        var service = await harness.WaitAsync($"{Services}/front", s => s?["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: 1 }, "load balancer ingress");
        Assert.Equal(harness.LoadBalancerAddress, (string?)service!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
        var pods = await harness.WaitListAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dfront", p => p.Count == 1 && p.All(WorkloadHarness.IsReady), "ready pod");
        await harness.WaitAsync("/api/v1/namespaces/default/endpoints/front", e => e?["subsets"]?[0]?["addresses"] is JsonArray { Count: 1 }, "ready endpoint");

        var expected = $"hello from {WorkloadHarness.Name(pods[0])}\n";
        Assert.Equal(expected, await WorkloadHarness.HttpGetAsync(harness.LoadBalancerAddress, 8443));
        Assert.Equal(expected, await WorkloadHarness.HttpGetAsync(harness.NodeAddress, (int)nodePort));
        Assert.Equal(expected, await WorkloadHarness.HttpGetAsync((string)service["spec"]!["clusterIP"]!, 8443));

        // Back to ClusterIP: the load balancer goes away, with its ingress.
        await harness.Api.PatchAsync($"{Services}/front", """{"spec":{"type":"ClusterIP","ports":[{"name":"web","port":8443,"targetPort":"http","nodePort":null},{"name":"dns","port":53,"targetPort":5353,"protocol":"UDP","nodePort":null}]}}""",
            "application/merge-patch+json");
        await harness.WaitAsync($"{Services}/front", s => s?["status"]?["loadBalancer"]?["ingress"] is null && (string?)s?["spec"]?["type"] == "ClusterIP", "ingress removed");
        Assert.Null(await WorkloadHarness.HttpGetAsync(harness.LoadBalancerAddress, 8443));
    }
}
