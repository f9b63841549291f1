using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Controllers;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.EdgeNodes;
using TunnelOperator.Operator.Tests.Support;

namespace TunnelOperator.Operator.Tests.EdgeNodes;

public sealed class EdgeNodeStatusPlannerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public static TheoryData<string, int, int, bool?, string, string> Readiness => new()
    {
        // name, wanted, ready, /readyz, Ready status, reason
        { "ready", 1, 1, true, "True", EdgeNodeReasons.EdgeReady },
        { "no pod ready", 1, 0, null, "False", EdgeNodeReasons.DeploymentNotReady },
        { "readyz fails", 1, 1, false, "False", EdgeNodeReasons.EdgeUnreachable },
        { "scaled to zero", 0, 0, null, "False", EdgeNodeReasons.ScaledToZero },
    };

    [Theory]
    [MemberData(nameof(Readiness))]
    public void Plan_ReadyFollowsThePodsAndTheLiveEdge(string _, int wanted, int ready, bool? readyz, string status, string reason)
    {
        var edge = TestObjects.Edge(spec: s => s with { Replicas = wanted });

        var planned = EdgeNodeStatusPlanner.Plan(edge, new EdgeNodeObservation { Deployment = Deployment(wanted, ready), EdgeReady = readyz, EdgeProblem = readyz == false ? "connection refused" : null }, _time);

        var condition = Conditions.Find(planned.Conditions, EdgeNodeConditions.Ready)!;
        Assert.Equal((status, reason), (condition.Status, condition.Reason));
        Assert.Equal(3, condition.ObservedGeneration);
        Assert.Equal(3, planned.ObservedGeneration);
        Assert.Equal(ready, planned.ReadyReplicas);
        Assert.Equal("http://edge-admin.shop.svc.cluster.local:9090/", planned.AdminEndpoint);
        if (readyz == false)
        {
            Assert.Equal("connection refused", condition.Message);
        }
    }

    [Fact]
    public void Plan_ARefusalIsNotReadyAndDegraded()
    {
        var planned = EdgeNodeStatusPlanner.Plan(TestObjects.Edge(), new EdgeNodeObservation
        {
            Refusal = (EdgeNodeReasons.ReplicasNeedPostgres, "two replicas need postgres"),
            Deployment = Deployment(1, 1),
        }, _time);

        Assert.Equal(("False", EdgeNodeReasons.ReplicasNeedPostgres, "two replicas need postgres"), Summary(planned, EdgeNodeConditions.Ready));
        Assert.Equal(("True", EdgeNodeReasons.ReplicasNeedPostgres), Pair(planned, EdgeNodeConditions.Degraded));
        Assert.Equal("False", Summary(planned, EdgeNodeConditions.Progressing).Status);
    }

    [Fact]
    public void Plan_ProgressingWhileTheDeploymentRollsAndDegradedWhilePodsAreMissing()
    {
        var rolling = Deployment(2, 1) with { Metadata = new ObjectMeta { Generation = 5 }, Status = new DeploymentStatus { ObservedGeneration = 4, Replicas = 2, UpdatedReplicas = 1, ReadyReplicas = 1 } };

        var planned = EdgeNodeStatusPlanner.Plan(TestObjects.Edge(spec: s => s with { Replicas = 2 }), new EdgeNodeObservation { Deployment = rolling, EdgeReady = true }, _time);

        Assert.Equal(("True", EdgeNodeReasons.RollingOut), Pair(planned, EdgeNodeConditions.Progressing));
        Assert.Equal(("True", EdgeNodeReasons.ReplicasUnavailable), Pair(planned, EdgeNodeConditions.Degraded));
        Assert.Equal("True", Summary(planned, EdgeNodeConditions.Ready).Status);
    }

    [Theory]
    [InlineData("203.0.113.7", null, "10.96.0.9", "203.0.113.7")]
    [InlineData(null, "lb.example.com", "10.96.0.9", "lb.example.com")]
    [InlineData(null, null, "10.96.0.9", "10.96.0.9")]
    [InlineData(null, null, null, null)]
    public void Plan_AddressIsTheLoadBalancersElseTheClusterIp(string? ip, string? hostname, string? clusterIp, string? expected)
    {
        var service = new Service
        {
            Spec = new ServiceSpec { ClusterIP = clusterIp },
            Status = ip is null && hostname is null ? null : new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { Ip = ip, Hostname = hostname }] } },
        };

        var planned = EdgeNodeStatusPlanner.Plan(TestObjects.Edge(), new EdgeNodeObservation { Deployment = Deployment(1, 1), EdgeReady = true, PublicService = service }, _time);

        Assert.Equal(expected, planned.Address);
    }

    [Fact]
    public void Plan_AgainWithNothingChanged_KeepsTransitionTimesSoNothingIsWritten()
    {
        var edge = TestObjects.Edge();
        var observation = new EdgeNodeObservation { Deployment = Deployment(1, 1), EdgeReady = true };
        var first = EdgeNodeStatusPlanner.Plan(edge, observation, _time);
        _time.Advance(TimeSpan.FromMinutes(5));

        var again = EdgeNodeStatusPlanner.Plan(edge with { Status = first }, observation, _time);

        Assert.False(StatusWriter.HasChanged(edge with { Status = first }, edge with { Status = again }));
    }

    private static Deployment Deployment(int replicas, int ready) => new()
    {
        Metadata = new ObjectMeta { Name = "edge-edge", Generation = 1 },
        Spec = new DeploymentSpec { Replicas = replicas },
        Status = new DeploymentStatus { ObservedGeneration = 1, Replicas = replicas, UpdatedReplicas = replicas, ReadyReplicas = ready },
    };

    private static (string Status, string? Reason) Pair(EdgeNodeStatus status, string type)
    {
        var (s, reason, _) = Summary(status, type);
        return (s, reason);
    }

    private static (string Status, string? Reason, string? Message) Summary(EdgeNodeStatus status, string type)
    {
        var condition = Conditions.Find(status.Conditions, type)!;
        return (condition.Status, condition.Reason, condition.Message);
    }
}
