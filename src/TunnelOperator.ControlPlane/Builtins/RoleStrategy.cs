using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// rbac.authorization.k8s.io/v1 Role and ClusterRole, validated as kubernetes pkg/apis/rbac/validation does:
/// names are path segments (<c>system:controller:x</c> is fine), every rule names verbs, resource rules name API
/// groups and resources, non-resource URLs only in cluster roles and never mixed with resources. Rules are stored
/// and served; nothing here authorizes requests (see <c>IAuthorizer</c>), and aggregationRule is kept but no
/// controller aggregates rules into it.
/// </summary>
internal sealed class RoleStrategy : ResourceStrategy
{
    public override IReadOnlyList<FieldError> ValidateName(string name) => ValidatePathSegment("metadata.name", name);

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = new List<FieldError>();
        var rules = obj["rules"] as JsonArray ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            errors.AddRange(ValidateRule(rules[i] as JsonObject ?? [], def.Namespaced, $"rules[{i}]"));
        }

        if (!def.Namespaced && obj["aggregationRule"] is JsonObject aggregation
            && aggregation["clusterRoleSelectors"] is not JsonArray { Count: > 0 })
        {
            errors.Add(FieldError.Required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateRule(JsonObject rule, bool namespaced, string path)
    {
        if (Count(rule["verbs"]) == 0)
        {
            yield return FieldError.Required($"{path}.verbs", "verbs must contain at least one value");
        }

        if (Count(rule["nonResourceURLs"]) > 0)
        {
            if (namespaced)
            {
                yield return InvalidUrls(path, rule, "namespaced rules cannot apply to non-resource URLs");
            }

            if (Count(rule["apiGroups"]) > 0 || Count(rule["resources"]) > 0 || Count(rule["resourceNames"]) > 0)
            {
                yield return InvalidUrls(path, rule, "rules cannot apply to both regular resources and non-resource URLs");
            }

            yield break;
        }

        if (Count(rule["apiGroups"]) == 0)
        {
            yield return FieldError.Required($"{path}.apiGroups", "resource rules must supply at least one api group");
        }

        if (Count(rule["resources"]) == 0)
        {
            yield return FieldError.Required($"{path}.resources", "resource rules must supply at least one resource");
        }
    }

    // field.Invalid with a []string prints it with %#v: []string{"/healthz", "/api"}.
    private static FieldError InvalidUrls(string path, JsonObject rule, string detail)
    {
        var urls = (rule["nonResourceURLs"] as JsonArray ?? []).Select(u => GoText.Quote(Meta.Str(u) ?? ""));
        return new FieldError($"{path}.nonResourceURLs", FieldErrorType.Invalid, $"Invalid value: []string{{{string.Join(", ", urls)}}}: {detail}", rule["nonResourceURLs"]?.DeepClone());
    }

    private static int Count(JsonNode? node) => node is JsonArray list ? list.Count : 0;

    /// <summary>apimachinery path.IsValidPathSegmentName: the only rule RBAC names follow.</summary>
    internal static IReadOnlyList<FieldError> ValidatePathSegment(string field, string name)
    {
        if (name is "." or "..")
        {
            return [FieldError.Invalid(field, name, $"may not be '{name}'")];
        }

        var errors = new List<FieldError>();
        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errors.Add(FieldError.Invalid(field, name, $"may not contain '{illegal}'"));
            }
        }

        return errors;
    }
}
