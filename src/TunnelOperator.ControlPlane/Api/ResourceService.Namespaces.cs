using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

internal sealed partial class ResourceService
{
    /// <summary>PUT /api/v1/namespaces/{name}/finalize: replaces spec.finalizers only; an emptied, deleting namespace goes.</summary>
    public async Task<WriteOutcome> FinalizeNamespaceAsync(ResourceDefinition def, string name, JsonObject body, WriteOptions options, CancellationToken ct)
    {
        var result = await _store.MutateAsync(def.Key, "", name, current =>
        {
            if (current is null)
            {
                return ApiError.NotFound(def.GroupResource, name);
            }

            var next = current.DeepClone().AsObject();
            var spec = next["spec"] as JsonObject ?? new JsonObject();
            next["spec"] = spec;
            spec["finalizers"] = body["spec"]?["finalizers"]?.DeepClone() ?? new JsonArray();
            if (SameContent(next, current))
            {
                return Mutation.NoChange(current);
            }

            return Meta.IsDeleting(next) && def.Strategy.CanBeRemoved(next) ? Mutation.Delete(next) : Mutation.Put(next);
        }, options.DryRun, ct);
        return ToOutcome(def, result, []);
    }
}
