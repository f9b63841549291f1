using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>
/// The <c>/scale</c> subresource: an autoscaling/v1 Scale view of an object's replicas, read from and
/// written to the paths its definition names (<c>.spec.replicas</c>, <c>.status.replicas</c>, selector).
/// </summary>
internal static class ScaleSubresource
{
    public static JsonObject ToScale(ResourceDefinition def, JsonObject obj)
    {
        var scale = def.Scale!;
        var meta = obj["metadata"] as JsonObject;
        var scaleMeta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta?[field] is { } v)
            {
                scaleMeta[field] = v.DeepClone();
            }
        }

        var status = new JsonObject { ["replicas"] = ReadInt(obj, scale.StatusReplicasPath) ?? 0 };
        if (scale.LabelSelectorPath is { } selectorPath && Read(obj, selectorPath) is { } selector)
        {
            status["selector"] = selector is JsonObject labelSelector ? SelectorString(labelSelector) : selector.DeepClone();
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = ReadInt(obj, scale.SpecReplicasPath) ?? 0 },
            ["status"] = status,
        };
    }

    /// <summary>A metav1.LabelSelector rendered in the string syntax a Scale's status.selector carries.</summary>
    private static string SelectorString(JsonObject selector)
    {
        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Meta.Str(kv.Value)}"));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var key = Meta.Str(e["key"]);
                var values = e["values"] is JsonArray vs ? string.Join(",", vs.Select(Meta.Str)) : "";
                parts.Add(Meta.Str(e["operator"]) switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key!,
                    _ => $"!{key}",
                });
            }
        }

        return string.Join(",", parts);
    }

    public static async Task<WriteOutcome> UpdateAsync(ResourceService service, ResourceDefinition def, string ns, string name, JsonObject scaleBody, WriteOptions options, CancellationToken ct)
    {
        var replicas = Meta.Long(scaleBody["spec"]?["replicas"]) is { } r ? r : (long?)null;
        if (replicas is null or < 0)
        {
            return WriteOutcome.Failed(ApiError.Invalid(new GroupKind("autoscaling", "Scale"), name,
                [Schema.FieldError.Invalid("spec.replicas", scaleBody["spec"]?["replicas"], "must be greater than or equal to 0")]));
        }

        var patch = Build(def.Scale!.SpecReplicasPath, JsonValue.Create(replicas.Value));
        if (Meta.Str(scaleBody["metadata"]?["resourceVersion"]) is { Length: > 0 } rv)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = rv };
        }

        return await service.PatchAsync(def, ns, name, Patches.MergePatchType, patch, options with { Subresource = null }, ct);
    }

    public static async Task<WriteOutcome> PatchAsync(ResourceService service, ResourceDefinition def, string ns, string name, string patchType, JsonNode? patch, WriteOptions options, CancellationToken ct)
    {
        var current = service.Get(def, ns, name);
        if (current is null)
        {
            return WriteOutcome.Failed(ApiError.NotFound(def.GroupResource, name));
        }

        var (patched, error) = Patches.Apply(def, ToScale(def, current), patchType == Patches.ApplyPatchType ? Patches.MergePatchType : patchType, patch);
        return error is not null ? WriteOutcome.Failed(error) : await UpdateAsync(service, def, ns, name, patched!, options, ct);
    }

    private static JsonNode? Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.TrimStart('.').Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node;
    }

    private static long? ReadInt(JsonObject obj, string path) =>
        Meta.Long(Read(obj, path));

    /// <summary>A merge patch setting one dotted path.</summary>
    private static JsonObject Build(string path, JsonNode value)
    {
        var segments = path.TrimStart('.').Split('.');
        JsonNode node = value;
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            node = new JsonObject { [segments[i]] = node };
        }

        return (JsonObject)node;
    }
}
