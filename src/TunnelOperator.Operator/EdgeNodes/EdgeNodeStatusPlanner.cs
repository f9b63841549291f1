using TunnelOperator.Controllers;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Operator.EdgeNodes;

/// <summary>The status of an EdgeNode from what was observed (pure): Ready, Progressing, Degraded and the counts.</summary>
internal static class EdgeNodeStatusPlanner
{
    public static EdgeNodeStatus Plan(EdgeNode edge, EdgeNodeObservation observed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(observed);
        var generation = edge.Metadata.Generation;
        var wanted = edge.Spec.Replicas;
        var deployment = observed.Deployment;
        var ready = deployment?.Status?.ReadyReplicas ?? 0;
        var conditions = edge.Status?.Conditions;

        (string Status, string Reason, string Message) readyCondition;
        (string Status, string Reason, string Message) progressing;
        (string Status, string Reason, string Message) degraded;
        if (observed.Refusal is { } refusal)
        {
            readyCondition = (ConditionStatus.False, refusal.Reason, refusal.Message);
            progressing = (ConditionStatus.False, refusal.Reason, "the operator does not roll out a spec it refuses; the last accepted one keeps running");
            degraded = (ConditionStatus.True, refusal.Reason, refusal.Message);
        }
        else
        {
            readyCondition = wanted == 0
                ? (ConditionStatus.False, EdgeNodeReasons.ScaledToZero, "spec.replicas is 0: no edge pod runs")
                : ready == 0
                    ? (ConditionStatus.False, EdgeNodeReasons.DeploymentNotReady, $"0 of {wanted} edge pods are ready")
                    : observed.EdgeReady == true
                        ? (ConditionStatus.True, EdgeNodeReasons.EdgeReady, $"{ready} of {wanted} edge pods are ready and the edge answers /readyz")
                        : (ConditionStatus.False, EdgeNodeReasons.EdgeUnreachable, observed.EdgeProblem ?? "the edge's /readyz fails: its store is unavailable");
            var rolling = deployment is null
                || (deployment.Status?.ObservedGeneration ?? 0) < (deployment.Metadata.Generation ?? 0)
                || (deployment.Status?.UpdatedReplicas ?? 0) < wanted
                || (deployment.Status?.Replicas ?? 0) > wanted;
            progressing = rolling
                ? (ConditionStatus.True, EdgeNodeReasons.RollingOut, $"{deployment?.Status?.UpdatedReplicas ?? 0} of {wanted} edge pods run the current spec")
                : (ConditionStatus.False, EdgeNodeReasons.RolloutComplete, "every edge pod runs the current spec");
            degraded = ready < wanted
                ? (ConditionStatus.True, EdgeNodeReasons.ReplicasUnavailable, $"{ready} of {wanted} edge pods are ready")
                : (ConditionStatus.False, EdgeNodeReasons.AllReplicasReady, $"{ready} of {wanted} edge pods are ready");
        }

        conditions = Conditions.Set(conditions, EdgeNodeConditions.Ready, readyCondition.Status, readyCondition.Reason, readyCondition.Message, generation, time);
        conditions = Conditions.Set(conditions, EdgeNodeConditions.Progressing, progressing.Status, progressing.Reason, progressing.Message, generation, time);
        conditions = Conditions.Set(conditions, EdgeNodeConditions.Degraded, degraded.Status, degraded.Reason, degraded.Message, generation, time);
        return new EdgeNodeStatus
        {
            Address = Address(observed),
            Replicas = deployment?.Status?.Replicas ?? 0,
            ReadyReplicas = ready,
            Selector = string.Join(',', EdgeNodeChildren.SelectorLabels(edge.Metadata.Name!).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            AdminEndpoint = EdgeNodeChildren.AdminEndpoint(edge).ToString(),
            Conditions = conditions,
            ObservedGeneration = generation,
        };
    }

    /// <summary>The load balancer's address when it has one, else the Service's clusterIP.</summary>
    private static string? Address(EdgeNodeObservation observed)
    {
        var service = observed.PublicService;
        var ingress = service?.Status?.LoadBalancer?.Ingress is { Count: > 0 } list ? list[0] : null;
        return ingress?.Ip ?? ingress?.Hostname ?? (service?.Spec?.ClusterIP is { Length: > 0 } ip and not "None" ? ip : null);
    }
}
