using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

internal sealed partial class ResourceService
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>
    /// DELETE of one object (registry Store.Delete):
    /// <list type="number">
    /// <item>preconditions (uid, resourceVersion) or 409;</item>
    /// <item>the propagation policy becomes a finalizer: Orphan → <c>orphan</c>, Foreground → <c>foregroundDeletion</c>
    ///   (Background needs none: the garbage collector removes dependents once the owner is gone);</item>
    /// <item>with finalizers left or a grace period (pods), the object only gets deletionTimestamp and
    ///   deletionGracePeriodSeconds; the delete completes when the last finalizer is removed at grace 0;</item>
    /// <item>without, it is removed now.</item>
    /// </list>
    /// Pods bound to a node are deleted gracefully: they keep a future deletionTimestamp until the workload
    /// runner's kubelet has stopped their processes and deletes them with grace period 0.
    /// </summary>
    public async Task<WriteOutcome> DeleteAsync(ResourceDefinition def, string ns, string name, DeleteOptions options, CancellationToken ct)
    {
        if (options.PropagationPolicy is { } policy && policy is not ("Orphan" or "Background" or "Foreground"))
        {
            return WriteOutcome.Failed(ApiError.Invalid(new GroupKind("meta.k8s.io", "DeleteOptions"), "",
                [Schema.FieldError.NotSupported("propagationPolicy", policy, ["Foreground", "Background", "Orphan", "nil"])]));
        }

        var result = await _store.MutateAsync(def.Key, def.Namespaced ? ns : "", name, current => DecideDelete(def, name, current, options), options.DryRun, ct);
        return ToOutcome(def, result, []);
    }

    private Mutation DecideDelete(ResourceDefinition def, string name, JsonObject? current, DeleteOptions options)
    {
        if (current is null)
        {
            return ApiError.NotFound(def.GroupResource, name);
        }

        if (options.PreconditionUid is { Length: > 0 } uid && uid != Meta.Uid(current))
        {
            return ApiError.Conflict(def.GroupResource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(current)}");
        }

        if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != Meta.ResourceVersion(current))
        {
            return ApiError.Conflict(def.GroupResource, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Meta.ResourceVersion(current)}");
        }

        var next = current.DeepClone().AsObject();
        var finalizers = Meta.Finalizers(next).ToList();
        switch (options.PropagationPolicy)
        {
            case "Orphan":
                finalizers.Remove(ForegroundFinalizer);
                if (!finalizers.Contains(OrphanFinalizer))
                {
                    finalizers.Add(OrphanFinalizer);
                }

                break;
            case "Foreground":
                finalizers.Remove(OrphanFinalizer);
                if (!finalizers.Contains(ForegroundFinalizer))
                {
                    finalizers.Add(ForegroundFinalizer);
                }

                break;
            case "Background":
                finalizers.Remove(OrphanFinalizer);
                finalizers.Remove(ForegroundFinalizer);
                break;
        }

        // Only an object with something left to wait for (finalizers, or a graceful period for its kubelet)
        // is merely marked; a dependents-policy change on an object already being deleted is recorded too.
        Meta.SetFinalizers(next, finalizers);
        var grace = def.Strategy.GracePeriodSeconds(current, options.GracePeriodSeconds);
        var meta = Meta.Metadata(next);
        if (Meta.IsDeleting(current))
        {
            // A second delete may only shorten a pending grace period (rest.BeforeDelete): the new deadline
            // counts from when the first delete asked.
            var pending = Meta.Long(meta["deletionGracePeriodSeconds"]) ?? 0;
            if (grace < pending && Meta.ParseTimestamp(meta["deletionTimestamp"]) is { } deadline)
            {
                meta["deletionTimestamp"] = Meta.Timestamp(deadline.AddSeconds(grace - pending));
                meta["deletionGracePeriodSeconds"] = grace;
            }
        }
        else
        {
            def.Strategy.PrepareForDelete(next, def);
            if (grace == 0 && def.Strategy.CanBeRemoved(next))
            {
                return Mutation.Delete(next);
            }

            meta["deletionTimestamp"] = Meta.Timestamp(_time.GetUtcNow().AddSeconds(grace));
            meta["deletionGracePeriodSeconds"] = grace;
        }

        if (def.Strategy.CanBeRemoved(next))
        {
            return Mutation.Delete(next);
        }

        return SameContent(next, current) ? Mutation.NoChange(current) : Mutation.Put(next);
    }

    /// <summary>DELETE on a collection: every matching object, each as a single delete would.</summary>
    public async Task<(List<JsonObject> Deleted, ApiError? Error)> DeleteCollectionAsync(ResourceDefinition def, string? ns, Func<JsonObject, bool> match, DeleteOptions options, CancellationToken ct)
    {
        var (items, _) = _store.List(def.Key, ns);
        var deleted = new List<JsonObject>();
        foreach (var item in items.Where(match))
        {
            var outcome = await DeleteAsync(def, Meta.Namespace(item), Meta.Name(item), options, ct);
            if (outcome.Error is { Code: 404 })
            {
                continue;
            }

            if (outcome.Error is { } e)
            {
                return (deleted, e);
            }

            deleted.Add(outcome.Object!);
        }

        return (deleted, null);
    }
}
