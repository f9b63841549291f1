using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// core/v1 Pod: PodSpec defaults, created Pending (status is the kubelet's to set through /status),
/// field selectors the kubelet and kubectl use. A pod bound to a node (<c>spec.nodeName</c>, set through
/// the <c>binding</c> subresource) is deleted gracefully: it stays, with a deletionTimestamp, until the
/// workload runner's kubelet has stopped it; unbound or finished pods go at once.
/// </summary>
internal sealed class PodStrategy : ResourceStrategy
{
    public override void PrepareForCreate(JsonObject obj, ResourceDefinition def)
    {
        if (obj["spec"] is JsonObject spec)
        {
            PodSpecDefaults.Apply(spec);
            PodSpecDefaults.SetIfMissing(spec, "serviceAccountName", "default");
            PodSpecDefaults.SetIfMissing(spec, "enableServiceLinks", true);
            PodSpecDefaults.SetIfMissing(spec, "priority", 0);
        }

        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceDefinition def)
    {
        if (obj["spec"] is JsonObject spec)
        {
            PodSpecDefaults.Apply(spec);
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = PodSpecDefaults.Validate(obj["spec"], "spec").ToList();
        if (old is not null && (Meta.Str(old["spec"]?["nodeName"]) ?? "") != (Meta.Str(obj["spec"]?["nodeName"]) ?? ""))
        {
            // Only the binding subresource assigns a node (ValidatePodUpdate forbids it for updates).
            errors.Add(FieldError.Forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
        }

        return errors;
    }

    /// <summary>
    /// The pod strategy's CheckGracefulDelete: the requested period, else spec.terminationGracePeriodSeconds;
    /// 0 for a pod no node has (nothing to stop) or one that has finished.
    /// </summary>
    public override long GracePeriodSeconds(JsonObject current, long? requested)
    {
        if (string.IsNullOrEmpty(Meta.Str(current["spec"]?["nodeName"])) || Meta.Str(current["status"]?["phase"]) is "Succeeded" or "Failed")
        {
            return 0;
        }

        var period = requested ?? Meta.Long(current["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
        return Math.Max(period, 0);
    }

    public override bool ReturnsDeletedObject => true;

    public override string? SelectableField(JsonObject obj, string field) => field switch
    {
        "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName" or "spec.hostNetwork" =>
            obj["spec"]?[field["spec.".Length..]]?.ToString() ?? (field == "spec.hostNetwork" ? "false" : ""),
        "status.phase" or "status.podIP" or "status.nominatedNodeName" => Meta.Str(obj["status"]?[field["status.".Length..]]) ?? "",
        _ => null,
    };
}
