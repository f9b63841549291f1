using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

internal sealed partial class ResourceService
{
    /// <summary>
    /// POST pods/{name}/binding (the scheduler's write, registry BindingREST): assigns <c>spec.nodeName</c>
    /// once, and records the PodScheduled condition. A pod already bound, or being deleted, is a 409.
    /// </summary>
    public async Task<WriteOutcome> BindAsync(ResourceDefinition pods, string ns, string name, JsonObject binding, string manager, CancellationToken ct)
    {
        var target = binding["target"] as JsonObject;
        var node = Meta.Str(target?["name"]) ?? "";
        var kind = Meta.Str(target?["kind"]) ?? "";
        if (node.Length == 0 || kind is not ("" or "Node"))
        {
            return WriteOutcome.Failed(ApiError.Invalid(new GroupKind("", "Binding"), name,
                [node.Length == 0 ? FieldError.Required("target.name", "") : FieldError.NotSupported("target.kind", kind, ["Node", "<empty>"])]));
        }

        var options = new WriteOptions { FieldManager = manager, Subresource = "binding" };
        var result = await _store.MutateAsync(pods.Key, ns, name, current =>
        {
            if (current is null)
            {
                return ApiError.NotFound(pods.GroupResource, name);
            }

            if (Meta.Str(binding["metadata"]?["uid"]) is { Length: > 0 } uid && uid != Meta.Uid(current))
            {
                return ApiError.Conflict(pods.GroupResource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(current)}");
            }

            if (Meta.IsDeleting(current))
            {
                return ApiError.Conflict(pods.GroupResource, name, $"pod {name} is being deleted, cannot be assigned to a host");
            }

            if (Meta.Str(current["spec"]?["nodeName"]) is { Length: > 0 } assigned)
            {
                return ApiError.Conflict(pods.GroupResource, name, $"pod {name} is already assigned to node \"{assigned}\"");
            }

            var next = current.DeepClone().AsObject();
            next["spec"]!["nodeName"] = node;
            if (next["status"] is not JsonObject status)
            {
                status = new JsonObject();
                next["status"] = status;
            }

            if (status["conditions"] is not JsonArray conditions)
            {
                conditions = [];
                status["conditions"] = conditions;
            }

            foreach (var stale in conditions.OfType<JsonObject>().Where(c => Meta.Str(c["type"]) == "PodScheduled").ToList())
            {
                conditions.Remove(stale);
            }

            conditions.Add(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = Now() });
            FieldManagement.RecordUpdate(current, next, options.FieldManager, pods, _time.GetUtcNow(), options.Subresource);
            return Mutation.Put(next);
        }, dryRun: false, ct);
        return ToOutcome(pods, result, []);
    }
}
