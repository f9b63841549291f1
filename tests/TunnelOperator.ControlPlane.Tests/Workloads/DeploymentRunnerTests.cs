using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>Deployments become Pods become processes: scaling, rollouts, deletion.</summary>
public sealed partial class DeploymentRunnerTests(WorkloadHarness harness) : IClassFixture<WorkloadHarness>
{
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";

    private static string Pods(string app) => $"/api/v1/namespaces/default/pods?labelSelector=app%3D{app}";

    [Fact]
    public async Task Deployment_ScalesZeroToTwoToOne_WithPodsProcessesAndStatus()
    {
        var created = await harness.Api.PostAsync(Deployments, WorkloadHarness.Deployment("scale", 0, "scale"));
        Assert.Equal(201, created.Code);
        var uid = (string)created.Object["metadata"]!["uid"]!;
        await harness.WaitAsync($"{Deployments}/scale", d => (long?)d?["status"]?["observedGeneration"] == 1, "status of the empty deployment");

        await harness.Api.PatchAsync($"{Deployments}/scale/scale", """{"spec":{"replicas":2}}""");
        var pods = await harness.WaitListAsync(Pods("scale"), p => p.Count == 2 && p.All(WorkloadHarness.IsReady), "two ready pods");
        var deployment = await harness.WaitAsync($"{Deployments}/scale",
            d => (long?)d?["status"]?["readyReplicas"] == 2 && (long?)d?["status"]?["availableReplicas"] == 2 && (long?)d?["status"]?["updatedReplicas"] == 2, "deployment status 2/2");
        Assert.Equal(2, (long)deployment!["status"]!["observedGeneration"]!);
        Assert.Contains(deployment["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Available" && (string?)c["status"] == "True");
        Assert.Contains(deployment["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Progressing" && (string?)c["reason"] == "NewReplicaSetAvailable");

        var hash = (string)pods[0]["metadata"]!["labels"]!["pod-template-hash"]!;
        var ips = pods.Select(WorkloadHarness.PodIp).ToList();
        Assert.Equal(2, ips.Distinct().Count());
        foreach (var pod in pods)
        {
            Assert.Matches(PodName(), WorkloadHarness.Name(pod));
            Assert.StartsWith($"scale-{hash}-", WorkloadHarness.Name(pod), StringComparison.Ordinal);
            Assert.StartsWith(harness.PodCidrPrefix, WorkloadHarness.PodIp(pod), StringComparison.Ordinal);
            Assert.Equal("Running", (string)pod["status"]!["phase"]!);
            Assert.Equal("tunneld-local", (string)pod["spec"]!["nodeName"]!);
            Assert.Equal(harness.NodeAddress, (string)pod["status"]!["hostIP"]!);
            var owner = pod["metadata"]!["ownerReferences"]![0]!;
            Assert.Equal(("Deployment", "scale", uid, true), ((string)owner["kind"]!, (string)owner["name"]!, (string)owner["uid"]!, (bool)owner["controller"]!));
            var running = pod["status"]!["containerStatuses"]![0]!;
            Assert.True((bool)running["ready"]!);
            Assert.NotNull(running["state"]!["running"]);
            Assert.Equal($"hello from {WorkloadHarness.Name(pod)}\n", await WorkloadHarness.HttpGetAsync(WorkloadHarness.PodIp(pod), 8080));
        }

        await harness.Api.PatchAsync($"{Deployments}/scale/scale", """{"spec":{"replicas":1}}""");
        var left = await harness.WaitListAsync(Pods("scale"), p => p.Count == 1, "one pod left");
        await harness.WaitAsync($"{Deployments}/scale", d => (long?)d?["status"]?["replicas"] == 1 && (long?)d?["status"]?["readyReplicas"] == 1, "deployment status 1/1");
        var gone = ips.Single(ip => ip != WorkloadHarness.PodIp(left[0]));
        Assert.Null(await WorkloadHarness.HttpGetAsync(gone, 8080));
        Assert.NotNull(await WorkloadHarness.HttpGetAsync(WorkloadHarness.PodIp(left[0]), 8080));
    }

    [Fact]
    public async Task TemplateChange_RollsThePods()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Deployments, WorkloadHarness.Deployment("roll", 2, "roll"))).Code);
        var before = await harness.WaitListAsync(Pods("roll"), p => p.Count == 2 && p.All(WorkloadHarness.IsReady), "two ready pods");

        await harness.Api.PatchAsync($"{Deployments}/roll",
            """{"spec":{"template":{"metadata":{"annotations":{"rolled":"yes"}}}}}""");
        var after = await harness.WaitListAsync(Pods("roll"),
            p => p.Count == 2 && p.All(WorkloadHarness.IsReady) && p.All(x => (string?)x["metadata"]!["annotations"]?["rolled"] == "yes"), "two ready rolled pods");
        Assert.Empty(after.Select(WorkloadHarness.Name).Intersect(before.Select(WorkloadHarness.Name)));
        Assert.NotEqual((string)before[0]["metadata"]!["labels"]!["pod-template-hash"]!, (string)after[0]["metadata"]!["labels"]!["pod-template-hash"]!);
        await harness.WaitAsync($"{Deployments}/roll",
            d => (long?)d?["status"]?["updatedReplicas"] == 2 && (long?)d?["status"]?["replicas"] == 2 && (long?)d?["status"]?["availableReplicas"] == 2, "rollout complete");
    }

    [Fact]
    public async Task DeletingTheDeployment_CollectsPodsAndKillsTheirProcesses()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Deployments, WorkloadHarness.Deployment("doomed", 2, "doomed"))).Code);
        var pods = await harness.WaitListAsync(Pods("doomed"), p => p.Count == 2 && p.All(WorkloadHarness.IsReady), "two ready pods");

        var deleted = await harness.Api.DeleteAsync($"{Deployments}/doomed");
        Assert.Equal(200, deleted.Code);
        await harness.WaitListAsync(Pods("doomed"), p => p.Count == 0, "pods collected");
        foreach (var pod in pods)
        {
            Assert.Null(await WorkloadHarness.HttpGetAsync(WorkloadHarness.PodIp(pod), 8080));
            Assert.False(Directory.Exists(harness.PodDirectory("default", WorkloadHarness.Name(pod))));
        }
    }

    [GeneratedRegex("^[a-z]+-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$")]
    private static partial Regex PodName();
}
