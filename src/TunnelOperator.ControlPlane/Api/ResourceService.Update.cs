using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

internal sealed partial class ResourceService
{
    /// <summary>PUT on the resource or its <c>/status</c>: a full replacement guarded by resourceVersion.</summary>
    public async Task<WriteOutcome> UpdateAsync(ResourceDefinition def, string ns, string name, JsonObject body, WriteOptions options, CancellationToken ct)
    {
        var incoming = body.DeepClone().AsObject();
        if (CheckTypeMeta(incoming, def) is { } typeError)
        {
            return WriteOutcome.Failed(typeError);
        }

        var bodyName = Meta.Str(incoming["metadata"]?["name"]) ?? "";
        if (bodyName.Length > 0 && bodyName != name)
        {
            return WriteOutcome.Failed(ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})"));
        }

        var bodyNs = Meta.Str(incoming["metadata"]?["namespace"]) ?? "";
        if (def.Namespaced && bodyNs.Length > 0 && bodyNs != ns)
        {
            return WriteOutcome.Failed(ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        }

        var warnings = new List<string>();
        if (options.Subresource is null && def.Strategy.Decode(incoming, def, options.Validation, warnings) is { } decodeError)
        {
            return WriteOutcome.Failed(decodeError, warnings);
        }

        var result = await _store.MutateAsync(def.Key, def.Namespaced ? ns : "", name, current =>
        {
            if (current is null)
            {
                return ApiError.NotFound(def.GroupResource, name);
            }

            return DecideUpdate(def, current, incoming, options, managedFieldsRecorded: false);
        }, options.DryRun, ct);

        return ToOutcome(def, result, warnings);
    }

    private WriteOutcome ToOutcome(ResourceDefinition def, StoreResult result, List<string> warnings) =>
        result.Error is { } e ? WriteOutcome.Failed(e, warnings) : new WriteOutcome(result.Object is null ? null : ForRead(def, result.Object), null, result.Kind, warnings);

    /// <summary>
    /// The shared tail of update and patch: precondition, status rules, server-owned fields, generation,
    /// validation, managedFields, then write / no-op / complete a pending deletion.
    /// </summary>
    private Mutation DecideUpdate(ResourceDefinition def, JsonObject current, JsonObject incoming, WriteOptions options, bool managedFieldsRecorded)
    {
        var name = Meta.Name(current);
        var wantedRv = Meta.ResourceVersion(incoming);
        if (wantedRv.Length > 0 && wantedRv != Meta.ResourceVersion(current))
        {
            return ApiError.Conflict(def.GroupResource, name, ApiError.ModifiedMessage);
        }

        JsonObject next;
        if (options.Subresource == "status")
        {
            // A status write changes only .status (and the managedFields it records); everything else is the stored object's.
            next = current.DeepClone().AsObject();
            if (incoming["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }

            if (managedFieldsRecorded && incoming["metadata"]?["managedFields"] is { } mf)
            {
                Meta.Metadata(next)["managedFields"] = mf.DeepClone();
            }
        }
        else
        {
            next = incoming.DeepClone().AsObject();
            if (def.HasStatus)
            {
                if (current["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }
        }

        var meta = Meta.Metadata(next);
        var oldMeta = Meta.Metadata(current);
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name" })
        {
            if (oldMeta[field] is { } v)
            {
                meta[field] = v.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }

        meta.Remove("selfLink");
        meta["resourceVersion"] = Meta.ResourceVersion(current);
        if (!managedFieldsRecorded && oldMeta["managedFields"] is { } oldManaged && meta["managedFields"] is null)
        {
            meta["managedFields"] = oldManaged.DeepClone();
        }

        def.Strategy.PrepareForUpdate(next, current, def);
        if (def.TracksGeneration && !JsonNode.DeepEquals(SpecPart(next, def), SpecPart(current, def)))
        {
            var generation = Meta.Long(oldMeta["generation"]) is { } gv ? gv : 0;
            meta["generation"] = generation + 1;
        }

        var errors = Validate(def, next, current);
        if (errors.Count > 0)
        {
            return ApiError.Invalid(def.GroupKind, name, errors);
        }

        if (!managedFieldsRecorded)
        {
            FieldManagement.RecordUpdate(current, next, options.FieldManager, def, _time.GetUtcNow(), options.Subresource);
        }

        if (SameContent(next, current))
        {
            return Mutation.NoChange(current);
        }

        // The last finalizer gone from an object being deleted completes its deletion (registry Store.Update).
        if (Meta.IsDeleting(next) && def.Strategy.CanBeRemoved(next))
        {
            return Mutation.Delete(next);
        }

        return Mutation.Put(next);
    }
}
