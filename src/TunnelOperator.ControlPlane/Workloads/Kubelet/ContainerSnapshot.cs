using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>What a container's status says at one moment (core/v1 ContainerStatus, as JSON pieces).</summary>
internal sealed record ContainerSnapshot(string Name, string Image, JsonObject State, JsonObject? LastState, int RestartCount, bool Ready, bool Started, string? ContainerId)
{
    public bool IsRunning => State["running"] is not null;

    public bool IsTerminated => State["terminated"] is not null;

    public long? ExitCode => Meta.Long(State["terminated"]?["exitCode"]);

    public string? WaitingReason => Meta.Str(State["waiting"]?["reason"]);

    public static JsonObject Waiting(string reason, string? message = null)
    {
        var waiting = new JsonObject { ["reason"] = reason };
        if (message is not null)
        {
            waiting["message"] = message;
        }

        return new JsonObject { ["waiting"] = waiting };
    }

    public static JsonObject Running(DateTimeOffset startedAt) => new() { ["running"] = new JsonObject { ["startedAt"] = Meta.Timestamp(startedAt) } };

    public static JsonObject Terminated(int exitCode, string reason, DateTimeOffset startedAt, DateTimeOffset finishedAt, string? containerId, string? message = null)
    {
        var terminated = new JsonObject { ["exitCode"] = exitCode, ["reason"] = reason };
        if (message is not null)
        {
            terminated["message"] = message;
        }

        terminated["startedAt"] = Meta.Timestamp(startedAt);
        terminated["finishedAt"] = Meta.Timestamp(finishedAt);
        if (containerId is not null)
        {
            terminated["containerID"] = containerId;
        }

        return new JsonObject { ["terminated"] = terminated };
    }
}
