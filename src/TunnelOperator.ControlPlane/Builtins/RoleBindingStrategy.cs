using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding: v1 defaulting (roleRef.apiGroup and the
/// subjects' apiGroup by kind) and kubernetes pkg/apis/rbac/validation rules: roleRef names a Role or ClusterRole
/// (only a ClusterRole from a ClusterRoleBinding) and cannot change once created (422 "cannot change roleRef"),
/// subjects are ServiceAccounts (with a namespace when cluster-wide), Users or Groups. The referenced role need
/// not exist, as upstream. Bindings grant nothing here: the local control plane authorizes no request.
/// </summary>
internal sealed class RoleBindingStrategy : ResourceStrategy
{
    public const string Group = "rbac.authorization.k8s.io";

    public override IReadOnlyList<FieldError> ValidateName(string name) => RoleStrategy.ValidatePathSegment("metadata.name", name);

    public override ApiError? Decode(JsonObject obj, ResourceDefinition def, FieldValidation validation, List<string> warnings)
    {
        // SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding / SetDefaults_Subject (rbac/v1/defaults.go).
        if (obj["roleRef"] is JsonObject roleRef && string.IsNullOrEmpty(Meta.Str(roleRef["apiGroup"])))
        {
            roleRef["apiGroup"] = Group;
        }

        foreach (var subject in (obj["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (string.IsNullOrEmpty(Meta.Str(subject["apiGroup"])) && Meta.Str(subject["kind"]) is "User" or "Group")
            {
                subject["apiGroup"] = Group;
            }
        }

        return null;
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = new List<FieldError>();
        var roleRef = obj["roleRef"] as JsonObject ?? [];
        var apiGroup = Meta.Str(roleRef["apiGroup"]) ?? "";
        if (apiGroup != Group)
        {
            errors.Add(FieldError.NotSupported("roleRef.apiGroup", apiGroup, [Group]));
        }

        var kind = Meta.Str(roleRef["kind"]) ?? "";
        IReadOnlyList<string> kinds = def.Namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        if (!kinds.Contains(kind))
        {
            errors.Add(FieldError.NotSupported("roleRef.kind", kind, kinds));
        }

        var name = Meta.Str(roleRef["name"]) ?? "";
        errors.AddRange(name.Length == 0 ? [FieldError.Required("roleRef.name")] : RoleStrategy.ValidatePathSegment("roleRef.name", name));

        var subjects = obj["subjects"] as JsonArray ?? [];
        for (var i = 0; i < subjects.Count; i++)
        {
            errors.AddRange(ValidateSubject(subjects[i] as JsonObject ?? [], def.Namespaced, $"subjects[{i}]"));
        }

        if (old is not null && RoleRef(old) != RoleRef(obj))
        {
            // field.Invalid with the internal rbac.RoleRef struct prints it with %#v.
            var (g, k, n) = RoleRef(obj);
            errors.Add(new FieldError("roleRef", FieldErrorType.Invalid,
                $"Invalid value: rbac.RoleRef{{APIGroup:{GoText.Quote(g)}, Kind:{GoText.Quote(k)}, Name:{GoText.Quote(n)}}}: cannot change roleRef", obj["roleRef"]?.DeepClone()));
        }

        return errors;
    }

    private static (string Group, string Kind, string Name) RoleRef(JsonObject obj) =>
        (Meta.Str(obj["roleRef"]?["apiGroup"]) ?? "", Meta.Str(obj["roleRef"]?["kind"]) ?? "", Meta.Str(obj["roleRef"]?["name"]) ?? "");

    private static IEnumerable<FieldError> ValidateSubject(JsonObject subject, bool namespaced, string path)
    {
        var name = Meta.Str(subject["name"]) ?? "";
        var apiGroup = Meta.Str(subject["apiGroup"]) ?? "";
        var kind = Meta.Str(subject["kind"]) ?? "";
        if (name.Length == 0)
        {
            yield return FieldError.Required($"{path}.name");
        }

        switch (kind)
        {
            case "ServiceAccount":
                if (name.Length > 0)
                {
                    foreach (var error in ObjectNames.ValidateSubdomain($"{path}.name", name))
                    {
                        yield return error;
                    }
                }

                if (apiGroup.Length > 0)
                {
                    yield return FieldError.NotSupported($"{path}.apiGroup", apiGroup, [""]);
                }

                if (!namespaced && string.IsNullOrEmpty(Meta.Str(subject["namespace"])))
                {
                    yield return FieldError.Required($"{path}.namespace");
                }

                break;
            case "User" or "Group":
                if (apiGroup != Group)
                {
                    yield return FieldError.NotSupported($"{path}.apiGroup", apiGroup, [Group]);
                }

                break;
            default:
                yield return FieldError.NotSupported($"{path}.kind", kind, ["ServiceAccount", "User", "Group"]);
                break;
        }
    }
}
