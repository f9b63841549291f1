using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// apiextensions.k8s.io/v1 CustomResourceDefinition: validation at registration (names, scope, versions,
/// exactly one storage version, structural schemas), name defaults, and the status the apiextensions
/// controllers would write (NamesAccepted and Established True, acceptedNames, storedVersions), set in the
/// same write so the new resource is served as soon as the create returns.
/// </summary>
internal sealed class CrdStrategy : ResourceStrategy
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";
    private readonly TimeProvider _time;

    public CrdStrategy(TimeProvider time) => _time = time;

    public override ApiError? Decode(JsonObject obj, ResourceDefinition def, FieldValidation validation, List<string> warnings)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return null;
        }

        if (spec["names"] is JsonObject names)
        {
            var kind = Meta.Str(names["kind"]) ?? "";
            if (string.IsNullOrEmpty(Meta.Str(names["singular"])) && kind.Length > 0)
            {
                names["singular"] = kind.ToLowerInvariant();
            }

            if (string.IsNullOrEmpty(Meta.Str(names["listKind"])) && kind.Length > 0)
            {
                names["listKind"] = kind + "List";
            }
        }

        if (spec["conversion"] is not JsonObject)
        {
            spec["conversion"] = new JsonObject { ["strategy"] = "None" };
        }

        return null;
    }

    public override void PrepareForCreate(JsonObject obj, ResourceDefinition def) => obj["status"] = Status(obj, null);

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceDefinition def) => obj["status"] = Status(obj, (obj["status"] ?? old["status"]) as JsonObject);

    public override void PrepareForDelete(JsonObject obj, ResourceDefinition def)
    {
        var finalizers = Meta.Finalizers(obj).ToList();
        if (!finalizers.Contains(CleanupFinalizer))
        {
            finalizers.Add(CleanupFinalizer);
        }

        Meta.SetFinalizers(obj, finalizers);
        var status = obj["status"] as JsonObject ?? new JsonObject();
        obj["status"] = status;
        SetCondition(status, "Terminating", "True", "InstanceDeletionPending", "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon");
    }

    private JsonObject Status(JsonObject crd, JsonObject? previous)
    {
        var status = previous?.DeepClone().AsObject() ?? new JsonObject();
        status["acceptedNames"] = crd["spec"]?["names"]?.DeepClone() ?? new JsonObject();
        SetCondition(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found");
        SetCondition(status, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted");
        var stored = (status["storedVersions"] as JsonArray)?.Select(Meta.Str).Where(v => v is not null).Select(v => v!).ToList() ?? [];
        var storage = StorageVersion(crd);
        if (storage is not null && !stored.Contains(storage))
        {
            stored.Add(storage);
        }

        status["storedVersions"] = new JsonArray([.. stored.Select(v => (JsonNode?)JsonValue.Create(v))]);
        return status;
    }

    private void SetCondition(JsonObject status, string type, string value, string reason, string message)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => Meta.Str(c["type"]) == type);
        if (existing is not null && Meta.Str(existing["status"]) == value)
        {
            existing["reason"] = reason;
            existing["message"] = message;
            return;
        }

        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastTransitionTime"] = Meta.Timestamp(_time.GetUtcNow()),
            ["reason"] = reason,
            ["message"] = message,
        };
        if (existing is not null)
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
        else
        {
            conditions.Add(condition);
        }
    }

    public static string? StorageVersion(JsonObject crd) =>
        (crd["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b) is { } version
            ? Meta.Str(version["name"])
            : null;

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = new List<FieldError>();
        var spec = obj["spec"] as JsonObject;
        if (spec is null)
        {
            errors.Add(FieldError.Required("spec", ""));
            return errors;
        }

        var group = Meta.Str(spec["group"]) ?? "";
        var plural = Meta.Str(spec["names"]?["plural"]) ?? "";
        var kind = Meta.Str(spec["names"]?["kind"]) ?? "";
        if (Meta.Name(obj) != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", Meta.Name(obj), "must be spec.names.plural+\".\"+spec.group"));
        }

        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group", ""));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.group", group, "should be a domain with at least one dot"));
        }

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural", ""));
        }
        else
        {
            errors.AddRange(ObjectNames.ValidateLabel1035("spec.names.plural", plural));
        }

        if (kind.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.kind", ""));
        }

        var scope = Meta.Str(spec["scope"]) ?? "";
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(scope.Length == 0 ? FieldError.Required("spec.scope", "") : FieldError.NotSupported("spec.scope", scope, ["Cluster", "Namespaced"]));
        }

        if (old is not null && Meta.Str(old["spec"]?["scope"]) is { } oldScope && oldScope != scope)
        {
            errors.Add(FieldError.Invalid("spec.scope", scope, "field is immutable"));
        }

        if (old is not null && Meta.Str(old["spec"]?["group"]) is { } oldGroup && oldGroup != group)
        {
            errors.Add(FieldError.Invalid("spec.group", group, "field is immutable"));
        }

        ValidateVersions(spec, errors);
        return errors;
    }

    private static void ValidateVersions(JsonObject spec, List<FieldError> errors)
    {
        if (spec["versions"] is not JsonArray { Count: > 0 } versions)
        {
            errors.Add(FieldError.Invalid("spec.versions", spec["versions"], "must have exactly one version marked as storage version"));
            return;
        }

        var storageCount = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < versions.Count; i++)
        {
            var path = $"spec.versions[{i}]";
            var version = versions[i] as JsonObject;
            var name = Meta.Str(version?["name"]) ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.name", ""));
            }
            else if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate($"{path}.name", name));
            }
            else
            {
                errors.AddRange(ObjectNames.ValidateLabel1035($"{path}.name", name));
            }

            if (version?["storage"] is JsonValue s && s.TryGetValue<bool>(out var isStorage) && isStorage)
            {
                storageCount++;
            }

            if (version?["served"] is not JsonValue served || !served.TryGetValue<bool>(out _))
            {
                errors.Add(FieldError.Required($"{path}.served", ""));
            }

            if (version?["schema"]?["openAPIV3Schema"] is not JsonObject schema)
            {
                errors.Add(FieldError.Required($"{path}.schema.openAPIV3Schema", "schemas are required"));
                continue;
            }

            errors.AddRange(StructuralSchema.CheckStructural(schema, $"{path}.schema.openAPIV3Schema"));
        }

        if (storageCount != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", new JsonArray([.. names.Select(n => (JsonNode?)JsonValue.Create(n))]), "must have exactly one version marked as storage version"));
        }
    }
}
