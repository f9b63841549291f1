using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Deployments;

/// <summary>
/// The deployment controller of the local runner, level-based: for each apps/v1 Deployment, observe the
/// Pods it controls (ownerReference with controller=true, no ReplicaSet in between), plan with
/// <see cref="DeploymentPlanner"/>, create and delete Pods, then write the status through the status
/// subresource when it changed. Deleted Deployments are left to the garbage collector, which deletes their
/// Pods through their ownerReferences.
/// </summary>
internal sealed partial class DeploymentController
{
    public const string Component = "deployment-controller";
    private const string Manager = "kube-controller-manager";
    private readonly ClusterApi _api;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DeploymentController(ClusterApi api, EventRecorder events, TimeProvider time, ILogger logger)
    {
        _api = api;
        _events = events;
        _time = time;
        _logger = logger;
        Queue = new KeyQueue("deployments", time, logger);
    }

    public KeyQueue Queue { get; }

    /// <summary>The Deployment that controls a Pod, from its ownerReferences.</summary>
    public static string? OwnerKey(JsonObject pod) =>
        Meta.OwnerReferences(pod).OfType<JsonObject>()
            .Where(r => Meta.Str(r["kind"]) == "Deployment" && Meta.Str(r["apiVersion"]) == "apps/v1" && r["controller"] is JsonValue v && v.TryGetValue<bool>(out var c) && c)
            .Select(r => $"{Meta.Namespace(pod)}/{Meta.Str(r["name"])}")
            .FirstOrDefault();

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = KeyQueue.Split(key);
        var deployment = _api.Get(_api.Deployments, ns, name);
        if (deployment is null || Meta.IsDeleting(deployment))
        {
            return null;
        }

        var uid = Meta.Uid(deployment);
        var template = deployment["spec"]?["template"];
        var hash = PodTemplateHash.Compute(template, Meta.Long(deployment["status"]?["collisionCount"]) ?? 0);
        var (active, terminating) = Observe(ns, uid);
        var plan = DeploymentPlanner.Plan(deployment, active, terminating, hash, _time.GetUtcNow());

        for (var i = 0; i < plan.Create; i++)
        {
            var outcome = await _api.CreateAsync(_api.Pods, ns, NewPod(deployment, hash), Manager, ct);
            if (outcome.Error is { } error)
            {
                await _events.WarningAsync(Component, null, deployment, "FailedCreate", $"Error creating: {error.Message}", ct);
                return TimeSpan.FromSeconds(1);
            }

            await _events.NormalAsync(Component, null, deployment, "SuccessfulCreate", $"Created pod: {Meta.Name(outcome.Object!)}", ct);
        }

        foreach (var pod in plan.Delete)
        {
            var outcome = await _api.DeleteAsync(_api.Pods, ns, Meta.Name(pod), Meta.Uid(pod), null, ct);
            if (outcome.Error is null)
            {
                await _events.NormalAsync(Component, null, deployment, "SuccessfulDelete", $"Deleted pod: {Meta.Name(pod)}", ct);
            }
        }

        (active, _) = Observe(ns, uid);
        var (status, progressCheck) = DeploymentStatusBuilder.Build(deployment, active, hash, _time.GetUtcNow());
        if (!JsonNode.DeepEquals(status, deployment["status"]))
        {
            var written = await _api.ModifyStatusAsync(_api.Deployments, ns, name, uid, d => d["status"] = status.DeepClone(), Manager, ct);
            if (written.Error is { Code: not (404 or 409) } error)
            {
                Log.StatusFailed(_logger, ns, name, error.Message);
                return TimeSpan.FromSeconds(1);
            }
        }

        return Min(plan.RequeueAfter, progressCheck);
    }

    /// <summary>The Pods the Deployment controls: those still counted, and how many are terminating.</summary>
    private (List<JsonObject> Active, int Terminating) Observe(string ns, string uid)
    {
        var owned = _api.List(_api.Pods, ns)
            .Where(p => Meta.OwnerReferences(p).OfType<JsonObject>().Any(r => Meta.Str(r["uid"]) == uid && r["controller"] is JsonValue v && v.TryGetValue<bool>(out var c) && c))
            .ToList();
        var active = owned.Where(p => !Meta.IsDeleting(p) && Meta.Str(p["status"]?["phase"]) is not ("Succeeded" or "Failed")).ToList();
        return (active, owned.Count(Meta.IsDeleting));
    }

    /// <summary>A Pod of the template, named <c>&lt;deployment&gt;-&lt;hash&gt;-&lt;5 random&gt;</c> by the server from generateName.</summary>
    private static JsonObject NewPod(JsonObject deployment, string hash)
    {
        var template = deployment["spec"]?["template"] as JsonObject ?? new JsonObject();
        var labels = template["metadata"]?["labels"]?.DeepClone() as JsonObject ?? new JsonObject();
        labels[DeploymentPlanner.HashLabel] = hash;
        var metadata = new JsonObject
        {
            ["generateName"] = $"{Meta.Name(deployment)}-{hash}-",
            ["namespace"] = Meta.Namespace(deployment),
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "Deployment",
                ["name"] = Meta.Name(deployment),
                ["uid"] = Meta.Uid(deployment),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        };
        if (template["metadata"]?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => (a, b) switch
    {
        (null, _) => b,
        (_, null) => a,
        _ => a < b ? a : b,
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the status of deployment {Namespace}/{Name} failed: {Error}")]
        public static partial void StatusFailed(ILogger logger, string @namespace, string name, string error);
    }
}
