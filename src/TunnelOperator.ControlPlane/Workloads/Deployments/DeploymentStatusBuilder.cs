using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Deployments;

/// <summary>
/// A Deployment's status from its Pods (deployment controller syncRolloutStatus): replica counts,
/// observedGeneration, and the Available and Progressing conditions. Progressing turns False with
/// ProgressDeadlineExceeded when a rollout has not moved for progressDeadlineSeconds; lastUpdateTime moves
/// with progress, lastTransitionTime only when a condition flips. Pure: no I/O.
/// </summary>
internal static class DeploymentStatusBuilder
{
    public static (JsonObject Status, TimeSpan? RequeueAfter) Build(JsonObject deployment, IReadOnlyList<JsonObject> active, string hash, DateTimeOffset now)
    {
        var spec = deployment["spec"];
        var previous = deployment["status"] as JsonObject;
        var replicas = (int)(Meta.Long(spec?["replicas"]) ?? 1);
        var minReady = Meta.Long(spec?["minReadySeconds"]) ?? 0;
        var name = Meta.Name(deployment);
        var updated = active.Count(p => DeploymentPlanner.IsNew(p, hash));
        var ready = active.Count(DeploymentPlanner.IsReady);
        var available = active.Count(p => DeploymentPlanner.IsAvailable(p, minReady, now));
        var (_, maxUnavailable) = DeploymentPlanner.Limits(spec, replicas);
        var generation = Meta.Long(deployment["metadata"]?["generation"]) ?? 1;

        var status = new JsonObject { ["observedGeneration"] = generation };
        if (active.Count > 0)
        {
            status["replicas"] = active.Count;
        }

        if (updated > 0)
        {
            status["updatedReplicas"] = updated;
        }

        if (ready > 0)
        {
            status["readyReplicas"] = ready;
        }

        if (available > 0)
        {
            status["availableReplicas"] = available;
        }

        if (replicas - available > 0)
        {
            status["unavailableReplicas"] = replicas - available;
        }

        var counts = (active.Count, updated, ready, available);
        var previousCounts = ((int)(Meta.Long(previous?["replicas"]) ?? 0), (int)(Meta.Long(previous?["updatedReplicas"]) ?? 0),
            (int)(Meta.Long(previous?["readyReplicas"]) ?? 0), (int)(Meta.Long(previous?["availableReplicas"]) ?? 0));
        var moved = counts != previousCounts || (Meta.Long(previous?["observedGeneration"]) ?? 0) != generation;
        var complete = updated == replicas && active.Count == replicas && available == replicas;

        var conditions = new JsonArray
        {
            available >= replicas - maxUnavailable
                ? Condition(previous, "Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now, progressed: false)
                : Condition(previous, "Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, progressed: false),
        };

        TimeSpan? requeue = null;
        var before = Find(previous, "Progressing");
        var deadline = Meta.Long(spec?["progressDeadlineSeconds"]) ?? 600;
        if (complete)
        {
            conditions.Add(Condition(previous, "Progressing", true, "NewReplicaSetAvailable", $"Deployment \"{name}\" has successfully progressed.", now, progressed: moved));
        }
        else if (moved || before is null || Meta.Str(before["reason"]) == "NewReplicaSetAvailable")
        {
            conditions.Add(Condition(previous, "Progressing", true, "ReplicaSetUpdated", $"Deployment \"{name}\" is progressing.", now, progressed: true));
            requeue = TimeSpan.FromSeconds(deadline);
        }
        else if (Meta.Str(before["reason"]) != "ProgressDeadlineExceeded"
            && Meta.ParseTimestamp(before["lastUpdateTime"]) is { } lastProgress && lastProgress.AddSeconds(deadline) <= now)
        {
            conditions.Add(Condition(previous, "Progressing", false, "ProgressDeadlineExceeded", $"Deployment \"{name}\" has timed out progressing.", now, progressed: true));
        }
        else
        {
            conditions.Add(before.DeepClone());
            if (Meta.Str(before["reason"]) != "ProgressDeadlineExceeded" && Meta.ParseTimestamp(before["lastUpdateTime"]) is { } last)
            {
                requeue = last.AddSeconds(deadline) - now;
            }
        }

        status["conditions"] = conditions;
        return (status, requeue);
    }

    private static JsonObject? Find(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Meta.Str(c["type"]) == type);

    private static JsonObject Condition(JsonObject? previous, string type, bool ok, string reason, string message, DateTimeOffset now, bool progressed)
    {
        var value = ok ? "True" : "False";
        var before = Find(previous, type);
        var same = before is not null && Meta.Str(before["status"]) == value;
        var unchanged = same && Meta.Str(before!["reason"]) == reason && Meta.Str(before["message"]) == message && !progressed;
        var stamp = Meta.Timestamp(now);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastUpdateTime"] = unchanged ? Meta.Str(before!["lastUpdateTime"]) ?? stamp : stamp,
            ["lastTransitionTime"] = same ? Meta.Str(before!["lastTransitionTime"]) ?? stamp : stamp,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
