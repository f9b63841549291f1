using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

internal sealed partial class ResourceService
{
    /// <summary>
    /// An in-process update by a controller (garbage collector, namespace or CRD cleanup): applies
    /// <paramref name="change"/> to the current object and writes it as an update by <paramref name="manager"/>.
    /// </summary>
    public async Task<WriteOutcome> ModifyAsync(ResourceDefinition def, string ns, string name, Action<JsonObject> change, string manager, CancellationToken ct)
    {
        var options = new WriteOptions { FieldManager = manager };
        var result = await _store.MutateAsync(def.Key, def.Namespaced ? ns : "", name, current =>
        {
            if (current is null)
            {
                return ApiError.NotFound(def.GroupResource, name);
            }

            var next = ForRead(def, current);
            change(next);
            return DecideUpdate(def, current, next, options, managedFieldsRecorded: false);
        }, dryRun: false, ct);
        return ToOutcome(def, result, []);
    }

    /// <summary>
    /// An in-process write of <c>.status</c> by a controller (the kubelet, the deployment controller): applies
    /// <paramref name="change"/> to the current object as a <c>/status</c> update would, so only status moves
    /// and no write happens when nothing changed. <paramref name="uid"/>, when set, must still be the object's
    /// (a recreated object under the same name answers 409, as a uid precondition does).
    /// </summary>
    public async Task<WriteOutcome> ModifyStatusAsync(ResourceDefinition def, string ns, string name, string? uid, Action<JsonObject> change, string manager, CancellationToken ct)
    {
        var options = new WriteOptions { FieldManager = manager, Subresource = def.HasStatus ? "status" : null };
        var result = await _store.MutateAsync(def.Key, def.Namespaced ? ns : "", name, current =>
        {
            if (current is null)
            {
                return ApiError.NotFound(def.GroupResource, name);
            }

            if (uid is { Length: > 0 } && uid != Meta.Uid(current))
            {
                return ApiError.Conflict(def.GroupResource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(current)}");
            }

            var next = ForRead(def, current);
            change(next);
            return DecideUpdate(def, current, next, options, managedFieldsRecorded: false);
        }, dryRun: false, ct);
        return ToOutcome(def, result, []);
    }

    /// <summary>Creates an object unless it exists (bootstrap and the service-account controller).</summary>
    public async Task EnsureAsync(ResourceDefinition def, string ns, JsonObject obj, string manager, CancellationToken ct)
    {
        if (_store.Get(def.Key, def.Namespaced ? ns : "", Meta.Name(obj)) is null)
        {
            var outcome = await CreateAsync(def, ns, obj, new WriteOptions { FieldManager = manager }, ct);
            if (outcome.Error is { Code: not 409 } e)
            {
                throw new InvalidOperationException($"could not create {def.GroupResource} {ns}/{Meta.Name(obj)}: {e.Message}");
            }
        }
    }
}
