using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>
/// The verbs over stored objects, shared by the HTTP handlers and the in-process controllers (garbage
/// collector, namespace and CRD cleanup). Each write is one read-modify-write under the store's writer
/// lock, so preconditions, finalizer rules and no-op detection see exactly the state being replaced.
/// </summary>
internal sealed partial class ResourceService
{
    internal static readonly ResourceKey NamespacesKey = new("", "namespaces");

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;

    public ResourceService(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        Registry = registry;
        _time = time;
    }

    public ResourceRegistry Registry { get; }

    public ObjectStore Store => _store;

    public JsonObject? Get(ResourceDefinition def, string ns, string name)
    {
        var stored = _store.Get(def.Key, ns, name);
        return stored is null ? null : ForRead(def, stored);
    }

    /// <summary>A copy of a stored object as a given version serves it (apiVersion, read defaulting).</summary>
    public JsonObject ForRead(ResourceDefinition def, JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        copy["apiVersion"] = def.ApiVersion;
        copy["kind"] = def.Kind;
        def.Strategy.OnRead(copy, def);
        return copy;
    }

    private string Now() => Meta.Timestamp(_time.GetUtcNow());

    /// <summary>404 for a missing namespace, 403 for one being terminated (NamespaceLifecycle admission).</summary>
    private ApiError? CheckNamespaceForCreate(ResourceDefinition def, string ns, string name)
    {
        if (!def.Namespaced)
        {
            return null;
        }

        var nsObj = _store.Get(NamespacesKey, "", ns);
        if (nsObj is null)
        {
            return ApiError.NotFound(new GroupResource("", "namespaces"), ns);
        }

        return Meta.IsDeleting(nsObj) || Meta.Str(nsObj["status"]?["phase"]) == "Terminating"
            ? ApiError.NamespaceTerminating(def.GroupResource, name, ns)
            : null;
    }

    /// <summary>Checks apiVersion/kind of a body against the endpoint, filling them in when absent.</summary>
    private static ApiError? CheckTypeMeta(JsonObject body, ResourceDefinition def)
    {
        var apiVersion = Meta.Str(body["apiVersion"]);
        var kind = Meta.Str(body["kind"]);
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != def.ApiVersion)
        {
            var groupOf = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            if (groupOf != def.Group)
            {
                return ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({def.ApiVersion})");
            }
        }

        if (!string.IsNullOrEmpty(kind) && kind != def.Kind)
        {
            return ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({def.Kind})");
        }

        body["apiVersion"] = def.ApiVersion;
        body["kind"] = def.Kind;
        return null;
    }

    /// <summary>Validation every object gets (ObjectMeta rules) plus the kind's own.</summary>
    private static List<FieldError> Validate(ResourceDefinition def, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        var name = Meta.Name(obj);
        if (old is null)
        {
            errors.AddRange(def.Resource == "namespaces" ? ObjectNames.ValidateLabel("metadata.name", name)
                : def.Resource == "services" ? ObjectNames.ValidateLabel1035("metadata.name", name)
                : def.Strategy.ValidateName(name));
        }

        errors.AddRange(LabelSelector.ValidateLabels(obj["metadata"]?["labels"], "metadata.labels"));
        if (old is not null && Meta.IsDeleting(old))
        {
            var added = Meta.Finalizers(obj).Except(Meta.Finalizers(old)).ToList();
            if (added.Count > 0)
            {
                errors.Add(FieldError.Forbidden("metadata.finalizers", $"no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(GoText.Quote))}}}"));
            }
        }

        errors.AddRange(def.Strategy.Validate(obj, old, def));
        return errors;
    }

    /// <summary>Everything of an object that is not metadata (and not status when status is a subresource).</summary>
    private static JsonObject SpecPart(JsonObject obj, ResourceDefinition def)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj)
        {
            if (k is "metadata" or "apiVersion" or "kind" || (k == "status" && def.HasStatus))
            {
                continue;
            }

            copy[k] = v?.DeepClone();
        }

        return copy;
    }

    /// <summary>Equality for no-op detection: resourceVersion and managedFields timestamps do not count
    /// (an update that changes nothing writes nothing and produces no watch event).</summary>
    private static bool SameContent(JsonObject a, JsonObject b)
    {
        var x = a.DeepClone().AsObject();
        var y = b.DeepClone().AsObject();
        foreach (var o in new[] { x, y })
        {
            var m = Meta.Metadata(o);
            m.Remove("resourceVersion");
            if (m["managedFields"] is JsonArray entries)
            {
                foreach (var entry in entries.OfType<JsonObject>())
                {
                    entry.Remove("time");
                }
            }
        }

        return JsonNode.DeepEquals(x, y);
    }
}
