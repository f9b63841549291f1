using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

internal sealed partial class ResourceService
{
    /// <summary>POST: a new object, named by the body or generated from <c>metadata.generateName</c>.</summary>
    public async Task<WriteOutcome> CreateAsync(ResourceDefinition def, string ns, JsonObject body, WriteOptions options, CancellationToken ct)
    {
        var warnings = new List<string>();
        var prepared = PrepareCreate(def, ns, body, options, warnings);
        if (prepared.Error is { } error)
        {
            return WriteOutcome.Failed(error, warnings);
        }

        var obj = prepared.Object!;
        var name = Meta.Name(obj);
        var result = await _store.MutateAsync(def.Key, def.Namespaced ? ns : "", name, current =>
        {
            if (current is not null)
            {
                return ApiError.AlreadyExists(def.GroupResource, name);
            }

            return CheckNamespaceForCreate(def, ns, name) is { } nsError ? nsError : Mutation.Put(obj);
        }, options.DryRun, ct);

        return result.Error is { } e
            ? WriteOutcome.Failed(e, warnings)
            : new WriteOutcome(ForRead(def, result.Object!), null, result.Kind, warnings) { Created = true };
    }

    /// <summary>
    /// Turns a create body into the object to store: type and identity checks, decoding, server-set
    /// fields (uid, creationTimestamp, generation 1), the kind's defaults, validation, managedFields.
    /// </summary>
    private (JsonObject? Object, ApiError? Error) PrepareCreate(ResourceDefinition def, string ns, JsonObject body, WriteOptions options, List<string> warnings, bool managedFieldsRecorded = false)
    {
        var obj = body.DeepClone().AsObject();
        if (CheckTypeMeta(obj, def) is { } typeError)
        {
            return (null, typeError);
        }

        var meta = Meta.Metadata(obj);
        var bodyNs = Meta.Str(meta["namespace"]);
        if (def.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                return (null, ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
            }

            meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
        }

        var name = Meta.Str(meta["name"]) ?? "";
        if (name.Length == 0)
        {
            var generateName = Meta.Str(meta["generateName"]) ?? "";
            if (generateName.Length == 0)
            {
                return (null, ApiError.Invalid(def.GroupKind, "", [FieldError.Required("metadata.name", "name or generateName is required")]));
            }

            name = ObjectNames.Generate(generateName);
            meta["name"] = name;
        }

        if (def.Strategy.Decode(obj, def, options.Validation, warnings) is { } decodeError)
        {
            return (null, decodeError);
        }

        meta = Meta.Metadata(obj);
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        if (def.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }

        if (def.HasStatus)
        {
            // With a status subresource the main resource cannot set status (API conventions, "Spec and Status").
            obj.Remove("status");
        }

        def.Strategy.PrepareForCreate(obj, def);
        var errors = Validate(def, obj, null);
        if (errors.Count > 0)
        {
            return (null, ApiError.Invalid(def.GroupKind, name, errors));
        }

        if (managedFieldsRecorded)
        {
            // Apply on a missing object: the applier's ownership was recorded on the applied configuration.
            return (obj, null);
        }

        meta = Meta.Metadata(obj);
        meta.Remove("managedFields");
        FieldManagement.RecordUpdate(null, obj, options.FieldManager, def, _time.GetUtcNow(), null);
        return (obj, null);
    }
}
