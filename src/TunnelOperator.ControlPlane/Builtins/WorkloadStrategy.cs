using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// apps/v1 Deployment and ReplicaSet: defaults (replicas 1, RollingUpdate 25%/25%, history 10, progress
/// deadline 600s for Deployments), an immutable selector that must match the template's labels.
/// </summary>
internal sealed class WorkloadStrategy : ResourceStrategy
{
    private readonly bool _deployment;

    public WorkloadStrategy(bool deployment) => _deployment = deployment;

    public override ApiError? Decode(JsonObject obj, ResourceDefinition def, FieldValidation validation, List<string> warnings)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return null;
        }

        PodSpecDefaults.SetIfMissing(spec, "replicas", 1);
        if (_deployment)
        {
            PodSpecDefaults.SetIfMissing(spec, "revisionHistoryLimit", 10);
            PodSpecDefaults.SetIfMissing(spec, "progressDeadlineSeconds", 600);
            if (spec["strategy"] is not JsonObject strategy)
            {
                strategy = new JsonObject();
                spec["strategy"] = strategy;
            }

            PodSpecDefaults.SetIfMissing(strategy, "type", "RollingUpdate");
            if (Meta.Str(strategy["type"]) == "RollingUpdate")
            {
                if (strategy["rollingUpdate"] is not JsonObject rolling)
                {
                    rolling = new JsonObject();
                    strategy["rollingUpdate"] = rolling;
                }

                PodSpecDefaults.SetIfMissing(rolling, "maxUnavailable", "25%");
                PodSpecDefaults.SetIfMissing(rolling, "maxSurge", "25%");
            }
        }

        if (spec["template"]?["spec"] is JsonObject podSpec)
        {
            PodSpecDefaults.Apply(podSpec);
        }

        return null;
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = new List<FieldError>();
        var selector = obj["spec"]?["selector"];
        if (selector is not JsonObject { Count: > 0 } selectorObj)
        {
            errors.Add(FieldError.Required("spec.selector", ""));
        }
        else
        {
            var labels = Meta.StringMap(obj["spec"]?["template"]?["metadata"]?["labels"]);
            var matchLabels = Meta.StringMap(selectorObj["matchLabels"]);
            if (matchLabels.Count == 0 && selectorObj["matchExpressions"] is not JsonArray { Count: > 0 })
            {
                errors.Add(FieldError.Invalid("spec.selector", selector, "empty selector is invalid for deployment"));
            }
            else if (!matchLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value))
            {
                errors.Add(new FieldError("spec.template.metadata.labels", FieldErrorType.Invalid,
                    $"Invalid value: map[string]string{{{string.Join(", ", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"\"{kv.Key}\":\"{kv.Value}\""))}}}: `selector` does not match template `labels`"));
            }
        }

        if (old is not null && old["spec"]?["selector"] is { } oldSelector && !JsonNode.DeepEquals(oldSelector, selector))
        {
            errors.Add(FieldError.Invalid("spec.selector", selector, "field is immutable"));
        }

        if (Meta.Long(obj["spec"]?["replicas"]) is { } replicas && replicas < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", obj["spec"]?["replicas"], "must be greater than or equal to 0"));
        }

        errors.AddRange(PodSpecDefaults.Validate(obj["spec"]?["template"]?["spec"], "spec.template.spec"));
        return errors;
    }
}
