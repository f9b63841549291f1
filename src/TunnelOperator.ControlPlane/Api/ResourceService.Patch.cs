using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

internal sealed partial class ResourceService
{
    /// <summary>
    /// PATCH (json, merge, strategic, apply). The patch is applied to the current object inside the write,
    /// and the result is then an update like any PUT (preconditions, status rules, generation, validation).
    /// Apply on a missing object creates it.
    /// </summary>
    public async Task<WriteOutcome> PatchAsync(ResourceDefinition def, string ns, string name, string patchType, JsonNode? patch, WriteOptions options, CancellationToken ct)
    {
        var warnings = new List<string>();
        var isApply = patchType == Patches.ApplyPatchType;
        var created = false;
        var result = await _store.MutateAsync(def.Key, def.Namespaced ? ns : "", name, current =>
        {
            if (current is null)
            {
                if (!isApply || options.Subresource is not null)
                {
                    return ApiError.NotFound(def.GroupResource, name);
                }

                if (patch is not JsonObject applied)
                {
                    return ApiError.BadRequest("apply patch must be an object");
                }

                var body = applied.DeepClone().AsObject();
                Meta.Metadata(body)["name"] = Meta.Str(body["metadata"]?["name"]) ?? name;
                if (Meta.Name(body) != name)
                {
                    return ApiError.BadRequest($"the name of the object ({Meta.Name(body)}) does not match the name on the URL ({name})");
                }

                var (owned, _, applyError) = FieldManagement.Apply(null, body, options.FieldManager, true, def, _time.GetUtcNow(), null);
                if (applyError is not null)
                {
                    return applyError;
                }

                var (createdObj, createError) = PrepareCreate(def, ns, owned!, options, warnings, managedFieldsRecorded: true);
                if (createError is not null)
                {
                    return createError;
                }

                if (CheckNamespaceForCreate(def, ns, name) is { } nsError)
                {
                    return nsError;
                }

                created = true;
                return Mutation.Put(createdObj!);
            }

            var served = ForRead(def, current);
            JsonObject patched;
            if (isApply)
            {
                if (patch is not JsonObject applied)
                {
                    return ApiError.BadRequest("apply patch must be an object");
                }

                if (CheckTypeMeta(applied.DeepClone().AsObject(), def) is { } typeError)
                {
                    return typeError;
                }

                var (merged, conflicts, applyError) = FieldManagement.Apply(served, applied, options.FieldManager, options.Force, def, _time.GetUtcNow(), options.Subresource);
                if (applyError is not null)
                {
                    return applyError;
                }

                if (conflicts.Count > 0)
                {
                    return ConflictError(def, name, conflicts);
                }

                patched = merged!;
            }
            else
            {
                var (result, patchError) = Patches.Apply(def, served, patchType, patch);
                if (patchError is not null)
                {
                    return patchError;
                }

                patched = result!;
            }

            if (CheckTypeMeta(patched, def) is { } patchedTypeError)
            {
                return patchedTypeError;
            }

            if (Meta.Name(patched) != name)
            {
                return ApiError.BadRequest($"the name of the object ({Meta.Name(patched)}) does not match the name on the URL ({name})");
            }

            if (options.Subresource is null && def.Strategy.Decode(patched, def, options.Validation, warnings) is { } decodeError)
            {
                return decodeError;
            }

            return DecideUpdate(def, current, patched, options, managedFieldsRecorded: isApply);
        }, options.DryRun, ct);

        return ToOutcome(def, result, warnings) with { Created = created && result.Error is null };
    }

    /// <summary>409 for apply conflicts, worded as the apiserver's field manager words them.</summary>
    private static ApiError ConflictError(ResourceDefinition def, string name, IReadOnlyList<Apply.ApplyConflict> conflicts) =>
        new(409, "Conflict", Apply.ServerSideApply.ConflictMessage(conflicts))
        {
            Name = name,
            Group = def.Group,
            Kind = def.Resource,
            Causes = [.. conflicts.Select(c => new StatusCause("FieldManagerConflict", $"conflict with {c.DescribeManager()}", c.Field))],
        };
}
