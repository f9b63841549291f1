using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tables;

/// <summary>printPod: the READY, STATUS and RESTARTS a pod's container statuses add up to.</summary>
public static partial class BuiltinColumns
{
    private static readonly BuiltinColumnSet Pods = new(
        [TableBuilder.NameColumn,
         Column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
         Column("Status", "The aggregate status of the containers in this pod."),
         Column("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
         Age,
         Column("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority: 1),
         Column("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.", priority: 1),
         Column("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", priority: 1),
         Column("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\"", priority: 1)],
        PodCells);

    private static IReadOnlyList<JsonNode?> PodCells(JsonObject o, DateTimeOffset now)
    {
        var status = o["status"];
        var totalContainers = Count(o["spec"]?["containers"]);
        var readyContainers = 0;
        long restarts = 0;
        DateTimeOffset? lastRestart = null;
        var reason = Str(status, "reason") is { Length: > 0 } r ? r : Str(status, "phase") ?? "";

        void NoteRestart(JsonNode? containerStatus)
        {
            restarts += Int(containerStatus, "restartCount");
            if (Str(containerStatus, "lastState", "terminated", "finishedAt") is { } finished
                && DateTimeOffset.TryParse(finished, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
                && (lastRestart is null || t > lastRestart))
            {
                lastRestart = t;
            }
        }

        var initStatuses = (status?["initContainerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var initializing = false;
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = initStatuses[i];
            NoteRestart(c);
            if (c["state"]?["terminated"] is JsonObject terminated)
            {
                if (Int(terminated, "exitCode") == 0)
                {
                    continue;
                }

                reason = Str(terminated, "reason") is { Length: > 0 } tr ? "Init:" + tr
                    : Int(terminated, "signal") != 0 ? $"Init:Signal:{Int(terminated, "signal")}"
                    : $"Init:ExitCode:{Int(terminated, "exitCode")}";
            }
            else if (Str(c, "state", "waiting", "reason") is { Length: > 0 } wr && wr != "PodInitializing")
            {
                reason = "Init:" + wr;
            }
            else
            {
                reason = $"Init:{i}/{Count(o["spec"]?["initContainers"])}";
            }

            initializing = true;
            break;
        }

        if (!initializing)
        {
            restarts = 0;
            lastRestart = null;
            var hasRunning = false;
            var statuses = (status?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i];
                NoteRestart(c);
                if (Str(c, "state", "waiting", "reason") is { Length: > 0 } wr)
                {
                    reason = wr;
                }
                else if (c["state"]?["terminated"] is JsonObject terminated)
                {
                    reason = Str(terminated, "reason") is { Length: > 0 } tr ? tr
                        : Int(terminated, "signal") != 0 ? $"Signal:{Int(terminated, "signal")}"
                        : $"ExitCode:{Int(terminated, "exitCode")}";
                }
                else if (c["state"]?["running"] is JsonObject && JsonNodes.GetBool(c["ready"]) == true)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = PodReady(status) ? "Running" : "NotReady";
            }
        }

        if (Str(o, "metadata", "deletionTimestamp") is { Length: > 0 })
        {
            reason = Str(status, "reason") == "NodeLost" ? "Unknown" : "Terminating";
        }

        var restartText = lastRestart is { } lr ? $"{restarts} ({TableBuilder.HumanDuration(now - lr)} ago)" : Digits(restarts);
        var podIPs = status?["podIPs"] as JsonArray;
        var podIP = podIPs is { Count: > 0 } ? Str(podIPs[0], "ip") ?? "<none>" : Str(status, "podIP") is { Length: > 0 } ip ? ip : "<none>";
        var gates = (o["spec"]?["readinessGates"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var readinessGates = "<none>";
        if (gates.Count > 0)
        {
            var conditions = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var trueGates = gates.Count(g => conditions.Any(c => Str(c, "type") == Str(g, "conditionType") && Str(c, "status") == "True"));
            readinessGates = $"{trueGates}/{gates.Count}";
        }

        return
        [
            Text(TableBuilder.Name(o)), Text($"{readyContainers}/{totalContainers}"), Text(reason), Text(restartText), AgeOf(o, now),
            Text(podIP), Text(Str(o, "spec", "nodeName") is { Length: > 0 } node ? node : "<none>"),
            Text(Str(status, "nominatedNodeName") is { Length: > 0 } nominated ? nominated : "<none>"), Text(readinessGates),
        ];
    }

    private static bool PodReady(JsonNode? status) =>
        (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => Str(c, "type") == "Ready" && Str(c, "status") == "True");
}
