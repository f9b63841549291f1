namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>Stopping the control plane stops every process; starting it again on the same data directory brings the Pods back.</summary>
public sealed class RunnerRestartTests(WorkloadHarness harness) : IClassFixture<WorkloadHarness>
{
    [Fact]
    public async Task RunnerRestart_BringsThePodsBack()
    {
        Assert.Equal(201, (await harness.Api.PostAsync("/apis/apps/v1/namespaces/default/deployments", WorkloadHarness.Deployment("survivor", 1, "survivor"))).Code);
        var before = (await harness.WaitListAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dsurvivor", p => p.Count == 1 && p.All(WorkloadHarness.IsReady), "ready pod"))[0];
        var ip = WorkloadHarness.PodIp(before);
        Assert.NotNull(await WorkloadHarness.HttpGetAsync(ip, 8080));

        await harness.Plane.Plane.StopAsync();
        Assert.Empty(WorkloadHarness.StrayProcesses(harness.Plane.DataDirectory));
        Assert.Null(await WorkloadHarness.HttpGetAsync(ip, 8080));

        await harness.Plane.StartAsync();
        var name = WorkloadHarness.Name(before);
        var after = await harness.WaitAsync($"/api/v1/namespaces/default/pods/{name}",
            p => (long?)p?["status"]?["containerStatuses"]?[0]?["restartCount"] == 1 && WorkloadHarness.IsReady(p), "the same pod ready again, restarted once");
        Assert.Equal(ip, WorkloadHarness.PodIp(after!));
        Assert.Equal($"hello from {name}\n", await WorkloadHarness.HttpGetAsync(ip, 8080));
        var pods = await harness.Api.GetAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dsurvivor");
        Assert.Single(pods.Object["items"]!.AsArray());
    }
}
