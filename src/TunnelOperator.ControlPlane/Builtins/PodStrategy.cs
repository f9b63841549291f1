using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// core/v1 Pod: PodSpec defaults, created Pending (status is the runner's to set through /status),
/// field selectors the kubelet and kubectl use. No node runs them here, so deletes are immediate.
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

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def) =>
        [.. PodSpecDefaults.Validate(obj["spec"], "spec")];

    public override bool ReturnsDeletedObject => true;

    public override string? SelectableField(JsonObject obj, string field) => field switch
    {
        "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName" or "spec.hostNetwork" =>
            obj["spec"]?[field["spec.".Length..]]?.ToString() ?? (field == "spec.hostNetwork" ? "false" : ""),
        "status.phase" or "status.podIP" or "status.nominatedNodeName" => Meta.Str(obj["status"]?[field["status.".Length..]]) ?? "",
        _ => null,
    };
}
