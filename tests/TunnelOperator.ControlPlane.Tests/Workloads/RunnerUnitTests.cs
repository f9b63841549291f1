using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Workloads.Deployments;
using TunnelOperator.ControlPlane.Workloads.Kubelet;
using TunnelOperator.ControlPlane.Workloads.Networking;

namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>The runner's pure parts: image matching, mount paths, backoff, template hashes, endpoints, hosts.</summary>
public sealed class RunnerUnitTests
{
    [Theory]
    [InlineData("ghcr.io/tunneloperator/tunneloperator:v1.2.3", true)]
    [InlineData("ghcr.io/tunneloperator/tunneloperator", true)]
    [InlineData("ghcr.io/tunneloperator/tunneloperator@sha256:abcd", true)]
    [InlineData("tunneloperator:dev", true)]
    [InlineData("docker.io/library/tunneloperator:dev", true)]
    [InlineData("tunneloperator", true)]
    [InlineData("ghcr.io/tunneloperator/tunneloperator-extra:v1", false)]
    [InlineData("nginx:1.27", false)]
    [InlineData("", false)]
    public void SuiteImages_MatchByRepository(string image, bool expected) =>
        Assert.Equal(expected, new SuiteImages(["ghcr.io/tunneloperator/tunneloperator", "tunneloperator:*"]).Matches(image));

    [Fact]
    public void SuiteImages_ATaggedPatternMatchesThatTagOnly()
    {
        var images = new SuiteImages(["example.com/suite:v2"]);
        Assert.True(images.Matches("example.com/suite:v2"));
        Assert.False(images.Matches("example.com/suite:v3"));
    }

    [Theory]
    [InlineData("/etc/tls/tls.key", "/pod/mounts/etc/tls/tls.key")]
    [InlineData("/etc/tls", "/pod/mounts/etc/tls")]
    [InlineData("--cert=/etc/tls/tls.crt", "--cert=/pod/mounts/etc/tls/tls.crt")]
    [InlineData("/etc/tlsx/file", "/etc/tlsx/file")]
    [InlineData("/var/run/x/y/z", "/pod/mounts/var/run/x/y/z")]
    [InlineData("/var/run/other", "/var/run/other")]
    [InlineData("serve", "serve")]
    public void MountPaths_RewriteWholeValuesAndFlagValues(string value, string expected)
    {
        var mounts = new MountPaths([("/etc/tls", "/pod/mounts/etc/tls"), ("/var/run/x/", "/pod/mounts/var/run/x")]);
        Assert.Equal(expected, mounts.Rewrite(value));
    }

    [Fact]
    public void CrashLoopBackoff_IsImmediateThenDoublesToTheCap_AndResetsAfterALongRun()
    {
        var backoff = new CrashLoopBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next(TimeSpan.FromSeconds(1)).TotalSeconds).ToList();
        Assert.Equal([0, 10, 20, 40, 80, 160, 300, 300], delays);
        Assert.Equal(TimeSpan.Zero, backoff.Next(TimeSpan.FromMinutes(10)));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Next(TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(10, "10s")]
    [InlineData(160, "2m40s")]
    [InlineData(300, "5m0s")]
    [InlineData(0.3, "300ms")]
    public void GoDuration_PrintsAsKubeletDoes(double seconds, string expected) =>
        Assert.Equal(expected, ContainerRunner.GoDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void PodTemplateHash_IgnoresPropertyOrder_AndChangesWithTheTemplate()
    {
        var a = JsonNode.Parse("""{"metadata":{"labels":{"app":"x","tier":"y"}},"spec":{"containers":[{"name":"c","image":"i"}]}}""");
        var b = JsonNode.Parse("""{"spec":{"containers":[{"image":"i","name":"c"}]},"metadata":{"labels":{"tier":"y","app":"x"}}}""");
        var c = JsonNode.Parse("""{"metadata":{"labels":{"app":"x","tier":"y"}},"spec":{"containers":[{"name":"c","image":"j"}]}}""");
        Assert.Equal(PodTemplateHash.Compute(a), PodTemplateHash.Compute(b));
        Assert.NotEqual(PodTemplateHash.Compute(a), PodTemplateHash.Compute(c));
        Assert.NotEqual(PodTemplateHash.Compute(a), PodTemplateHash.Compute(a, collisionCount: 1));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", PodTemplateHash.Compute(a));
    }

    private static JsonObject PodOf(string name, string hash, bool ready, string created = "2025-01-01T00:00:00Z") => JsonNode.Parse($$$"""
        {"metadata":{"name":"{{{name}}}","creationTimestamp":"{{{created}}}","labels":{"pod-template-hash":"{{{hash}}}"}},
         "status":{"conditions":[{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}","lastTransitionTime":"2025-01-01T00:00:00Z"}]}}
        """)!.AsObject();

    private static JsonObject DeploymentOf(int replicas, string strategy = """{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}""") =>
        JsonNode.Parse($$$"""{"metadata":{"name":"d","generation":2},"spec":{"replicas":{{{replicas}}},"strategy":{{{strategy}}}}}""")!.AsObject();

    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-01-01T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Planner_ScalesUpAndDown_UnreadyAndNewestGoFirst()
    {
        Assert.Equal(3, DeploymentPlanner.Plan(DeploymentOf(3), [], 0, "new", Now).Create);
        var pods = new List<JsonObject> { PodOf("a", "new", true, "2025-01-01T00:00:00Z"), PodOf("b", "new", false), PodOf("c", "new", true, "2025-01-01T00:00:09Z") };
        var plan = DeploymentPlanner.Plan(DeploymentOf(1), pods, 0, "new", Now);
        Assert.Equal(["b", "c"], plan.Delete.Select(p => (string)p["metadata"]!["name"]!));
    }

    [Fact]
    public void Planner_RollingUpdate_SurgesThenRemovesOldOnlyAsNewBecomeAvailable()
    {
        var old = new List<JsonObject> { PodOf("o1", "old", true), PodOf("o2", "old", true) };
        var first = DeploymentPlanner.Plan(DeploymentOf(2), old, 0, "new", Now);
        Assert.Equal((1, 0), (first.Create, first.Delete.Count));

        var surging = new List<JsonObject>(old) { PodOf("n1", "new", false) };
        var waiting = DeploymentPlanner.Plan(DeploymentOf(2), surging, 0, "new", Now);
        Assert.Equal((0, 0), (waiting.Create, waiting.Delete.Count));

        var progressed = new List<JsonObject>(old) { PodOf("n1", "new", true) };
        var next = DeploymentPlanner.Plan(DeploymentOf(2), progressed, 0, "new", Now);
        Assert.Equal((0, 1), (next.Create, next.Delete.Count));
        Assert.Equal("old", (string)next.Delete[0]["metadata"]!["labels"]!["pod-template-hash"]!);
    }

    [Fact]
    public void Planner_Recreate_DeletesOldFirstAndWaitsForThemToGo()
    {
        var recreate = """{"type":"Recreate"}""";
        var old = new List<JsonObject> { PodOf("o1", "old", true) };
        var plan = DeploymentPlanner.Plan(DeploymentOf(1, recreate), old, 0, "new", Now);
        Assert.Equal((0, 1), (plan.Create, plan.Delete.Count));
        Assert.Equal(0, DeploymentPlanner.Plan(DeploymentOf(1, recreate), [], terminating: 1, "new", Now).Create);
        Assert.Equal(1, DeploymentPlanner.Plan(DeploymentOf(1, recreate), [], terminating: 0, "new", Now).Create);
    }

    [Fact]
    public void StatusBuilder_ReportsCountsAndConditions_AndKeepsTransitionTimes()
    {
        var deployment = DeploymentOf(2);
        var (status, _) = DeploymentStatusBuilder.Build(deployment, [PodOf("a", "h", true), PodOf("b", "h", false)], "h", Now);
        Assert.Equal((2, 2, 1, 1, 1, 2L), ((int)status["replicas"]!, (int)status["updatedReplicas"]!, (int)status["readyReplicas"]!,
            (int)status["availableReplicas"]!, (int)status["unavailableReplicas"]!, (long)status["observedGeneration"]!));
        Assert.Equal("False", (string?)status["conditions"]![0]!["status"]);
        Assert.Equal("ReplicaSetUpdated", (string?)status["conditions"]![1]!["reason"]);

        deployment["status"] = status;
        var later = Now.AddMinutes(1);
        var (done, _) = DeploymentStatusBuilder.Build(deployment, [PodOf("a", "h", true), PodOf("b", "h", true)], "h", later);
        Assert.Equal("True", (string?)done["conditions"]![0]!["status"]);
        Assert.Equal("NewReplicaSetAvailable", (string?)done["conditions"]![1]!["reason"]);
        Assert.Equal((string?)status["conditions"]![1]!["lastTransitionTime"], (string?)done["conditions"]![1]!["lastTransitionTime"]);
    }

    [Fact]
    public void StatusBuilder_ProgressDeadlineExceeded_WhenARolloutStopsMoving()
    {
        var deployment = DeploymentOf(2);
        deployment["spec"]!["progressDeadlineSeconds"] = 60;
        var pods = new List<JsonObject> { PodOf("a", "h", false), PodOf("b", "h", false) };
        var (first, _) = DeploymentStatusBuilder.Build(deployment, pods, "h", Now);
        deployment["status"] = first;
        var (stuck, _) = DeploymentStatusBuilder.Build(deployment, pods, "h", Now.AddSeconds(61));
        Assert.Equal(("False", "ProgressDeadlineExceeded"), ((string?)stuck["conditions"]![1]!["status"], (string?)stuck["conditions"]![1]!["reason"]));
    }

    [Fact]
    public void Endpoints_ResolveNamedPortsPerPod_AndSplitReadyFromNotReady()
    {
        var service = JsonNode.Parse("""
            {"metadata":{"name":"s","namespace":"n"},"spec":{"selector":{"app":"x"},"ports":[{"name":"web","port":80,"targetPort":"http","protocol":"TCP"}]}}
            """)!.AsObject();
        JsonObject Pod(string name, string ip, bool ready, int port, string app = "x") => JsonNode.Parse($$$"""
            {"metadata":{"name":"{{{name}}}","namespace":"n","uid":"u-{{{name}}}","labels":{"app":"{{{app}}}"}},
             "spec":{"nodeName":"node","containers":[{"name":"c","ports":[{"name":"http","containerPort":{{{port}}}}]}]},
             "status":{"podIP":"{{{ip}}}","conditions":[{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}"}]}}
            """)!.AsObject();
        var subsets = EndpointsBuilder.Subsets(service, [Pod("a", "127.0.0.3", true, 8080), Pod("b", "127.0.0.2", false, 8080), Pod("c", "127.0.0.4", true, 9090), Pod("d", "127.0.0.5", true, 8080, "y")])!;
        Assert.Equal(2, subsets.Count);
        var on8080 = subsets.Single(s => (long?)s!["ports"]![0]!["port"] == 8080)!;
        Assert.Equal("127.0.0.3", (string?)on8080["addresses"]![0]!["ip"]);
        Assert.Equal("127.0.0.2", (string?)on8080["notReadyAddresses"]![0]!["ip"]);
        Assert.Equal("a", (string?)on8080["addresses"]![0]!["targetRef"]!["name"]);
        Assert.Null(EndpointsBuilder.Subsets(JsonNode.Parse("""{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""")!.AsObject(), []));
    }

    [Fact]
    public void HostsFile_ListsClusterIpsAndHeadlessEndpoints()
    {
        var services = new[]
        {
            JsonNode.Parse("""{"metadata":{"name":"api","namespace":"edge"},"spec":{"clusterIP":"127.96.0.5"}}""")!.AsObject(),
            JsonNode.Parse("""{"metadata":{"name":"peers","namespace":"edge"},"spec":{"clusterIP":"None"}}""")!.AsObject(),
        };
        var endpoints = JsonNode.Parse("""{"subsets":[{"addresses":[{"ip":"127.244.0.9"},{"ip":"127.244.0.8"}]}]}""")!.AsObject();
        var text = HostsFile.Render(services, (ns, name) => name == "peers" ? endpoints : null);
        Assert.Contains("127.96.0.5 api.edge.svc.cluster.local api.edge.svc api.edge\n", text, StringComparison.Ordinal);
        Assert.Contains("127.244.0.8 peers.edge.svc.cluster.local peers.edge.svc peers.edge\n127.244.0.9 peers.edge", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Always", "running", "Running")]
    [InlineData("Always", "crashloop", "Running")]
    [InlineData("Never", "failed", "Failed")]
    [InlineData("Never", "succeeded", "Succeeded")]
    [InlineData("OnFailure", "succeeded", "Succeeded")]
    [InlineData("OnFailure", "crashloop", "Running")]
    [InlineData("Always", "creating", "Pending")]
    public void PodPhase_FollowsKubeletGetPhase(string restartPolicy, string state, string phase)
    {
        var now = DateTimeOffset.UnixEpoch;
        var terminated = ContainerSnapshot.Terminated(state == "succeeded" ? 0 : 1, "Error", now, now, null);
        var snapshot = state switch
        {
            "running" => new ContainerSnapshot("c", "i", ContainerSnapshot.Running(now), null, 0, true, true, null),
            "crashloop" => new ContainerSnapshot("c", "i", ContainerSnapshot.Waiting("CrashLoopBackOff"), terminated, 3, false, false, null),
            "creating" => new ContainerSnapshot("c", "i", ContainerSnapshot.Waiting("ContainerCreating"), null, 0, false, false, null),
            _ => new ContainerSnapshot("c", "i", terminated, null, 0, false, false, null),
        };
        Assert.Equal(phase, PodStatusBuilder.Phase(new PodState { HostIp = "127.0.0.1", Containers = [snapshot], RestartPolicy = restartPolicy }));
    }
}
