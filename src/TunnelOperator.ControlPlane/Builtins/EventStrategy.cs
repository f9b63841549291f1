using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>core/v1 Event: the field selectors kubectl uses (<c>kubectl get events --field-selector involvedObject.name=x</c>, describe).</summary>
internal sealed class EventStrategy : ResourceStrategy
{
    public override string? SelectableField(JsonObject obj, string field) => field switch
    {
        "involvedObject.kind" or "involvedObject.namespace" or "involvedObject.name" or "involvedObject.uid"
            or "involvedObject.apiVersion" or "involvedObject.resourceVersion" or "involvedObject.fieldPath" =>
            Meta.Str(obj["involvedObject"]?[field["involvedObject.".Length..]]) ?? "",
        "reason" or "type" or "reportingComponent" => Meta.Str(obj[field]) ?? "",
        "source" => Meta.Str(obj["source"]?["component"]) ?? "",
        _ => null,
    };
}
