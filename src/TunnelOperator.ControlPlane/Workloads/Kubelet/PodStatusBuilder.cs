using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>What the kubelet knows about a Pod when it writes its status.</summary>
internal sealed record PodState
{
    /// <summary>The Pod has its directory and IP (PodReadyToStartContainers).</summary>
    public bool SandboxReady { get; init; }

    public string? PodIp { get; init; }

    public required string HostIp { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public IReadOnlyList<ContainerSnapshot> InitContainers { get; init; } = [];

    public required IReadOnlyList<ContainerSnapshot> Containers { get; init; }

    public required string RestartPolicy { get; init; }
}

/// <summary>
/// Builds core/v1 PodStatus from container states as the kubelet's status manager does: the phase
/// (getPhase), the conditions PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled
/// (lastTransitionTime moves only when a condition flips), IPs, start time and container statuses.
/// </summary>
internal static class PodStatusBuilder
{
    public static JsonObject Build(JsonObject? previous, PodState state, DateTimeOffset now)
    {
        var initialized = state.InitContainers.All(c => c.IsTerminated && c.ExitCode == 0);
        var unready = state.Containers.Where(c => !c.Ready).Select(c => c.Name).ToList();
        var incomplete = state.InitContainers.Where(c => !(c.IsTerminated && c.ExitCode == 0)).Select(c => c.Name).ToList();
        var conditions = new JsonArray
        {
            Condition(previous, "PodReadyToStartContainers", state.SandboxReady, null, null, now),
            Condition(previous, "Initialized", initialized, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(" ", incomplete)}]", now),
            Condition(previous, "Ready", unready.Count == 0, "ContainersNotReady", $"containers with unready status: [{string.Join(" ", unready)}]", now),
            Condition(previous, "ContainersReady", unready.Count == 0, "ContainersNotReady", $"containers with unready status: [{string.Join(" ", unready)}]", now),
            Condition(previous, "PodScheduled", true, null, null, now),
        };

        var status = new JsonObject
        {
            ["phase"] = Phase(state),
            ["conditions"] = conditions,
            ["hostIP"] = state.HostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = state.HostIp }),
        };
        if (state.PodIp is { } ip)
        {
            status["podIP"] = ip;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip });
        }

        if (state.StartTime is { } start)
        {
            status["startTime"] = Meta.Timestamp(start);
        }

        if (state.InitContainers.Count > 0)
        {
            status["initContainerStatuses"] = new JsonArray([.. state.InitContainers.Select(ToStatus)]);
        }

        status["containerStatuses"] = new JsonArray([.. state.Containers.Select(ToStatus)]);
        status["qosClass"] = Meta.Str(previous?["qosClass"]) ?? "BestEffort";
        return status;
    }

    /// <summary>kubelet getPhase.</summary>
    public static string Phase(PodState state)
    {
        int pendingInit = 0, failedInit = 0;
        foreach (var c in state.InitContainers)
        {
            if (c.IsTerminated)
            {
                if (c.ExitCode != 0)
                {
                    failedInit++;
                }
            }
            else if (c.IsRunning)
            {
                pendingInit++;
            }
            else if (Meta.Long(c.LastState?["terminated"]?["exitCode"]) is { } last && last != 0)
            {
                failedInit++;
            }
            else
            {
                pendingInit++;
            }
        }

        if (failedInit > 0 && state.RestartPolicy == "Never")
        {
            return "Failed";
        }

        if (pendingInit > 0 || failedInit > 0)
        {
            return "Pending";
        }

        int waiting = 0, running = 0, stopped = 0, succeeded = 0;
        foreach (var c in state.Containers)
        {
            if (c.IsRunning)
            {
                running++;
            }
            else if (c.IsTerminated || c.LastState?["terminated"] is not null)
            {
                stopped++;
                var code = c.IsTerminated ? c.ExitCode : Meta.Long(c.LastState!["terminated"]!["exitCode"]);
                if (code == 0)
                {
                    succeeded++;
                }
            }
            else
            {
                waiting++;
            }
        }

        if (waiting > 0)
        {
            return "Pending";
        }

        if (running > 0)
        {
            return "Running";
        }

        if (stopped > 0)
        {
            var failed = stopped - succeeded;
            return state.RestartPolicy switch
            {
                "Always" => "Running",
                "OnFailure" => failed == 0 ? "Succeeded" : "Running",
                _ => failed > 0 ? "Failed" : "Succeeded",
            };
        }

        return "Pending";
    }

    private static JsonObject ToStatus(ContainerSnapshot c)
    {
        var status = new JsonObject
        {
            ["name"] = c.Name,
            ["state"] = c.State.DeepClone(),
            ["lastState"] = c.LastState?.DeepClone() ?? new JsonObject(),
            ["ready"] = c.Ready,
            ["restartCount"] = c.RestartCount,
            ["image"] = c.Image,
            ["imageID"] = c.Image,
        };
        if (c.ContainerId is not null)
        {
            status["containerID"] = c.ContainerId;
        }

        status["started"] = c.Started;
        return status;
    }

    private static JsonObject Condition(JsonObject? previous, string type, bool ok, string? reason, string? message, DateTimeOffset now)
    {
        var value = ok ? "True" : "False";
        var before = (previous?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Meta.Str(c["type"]) == type);
        var since = before is not null && Meta.Str(before["status"]) == value ? Meta.Str(before["lastTransitionTime"]) : null;
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = since ?? Meta.Timestamp(now),
        };
        if (!ok && reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }
}
