using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Patching;

/// <summary>JSON Merge Patch, RFC 7386 (application/merge-patch+json).</summary>
public static class JsonMergePatch
{
    /// <summary>
    /// RFC 7386 §2 MergePatch(Target, Patch). The inputs are not modified; the result shares no nodes with them.
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => Merge(JsonNodes.Clone(target), patch);

    /// <summary>
    /// A merge patch that turns <paramref name="original"/> into <paramref name="modified"/>: changed members
    /// recursively, removed members as null, anything that is not an object pair replaced whole. As RFC 7386 §1
    /// notes, a modified value containing null members cannot be expressed (null means removal).
    /// </summary>
    public static JsonNode? CreatePatch(JsonNode? original, JsonNode? modified)
    {
        if (original is not JsonObject o || modified is not JsonObject m)
        {
            return JsonNodes.Clone(modified);
        }

        var patch = new JsonObject();
        foreach (var (key, value) in o)
        {
            if (!m.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        foreach (var (key, value) in m)
        {
            if (!o.TryGetPropertyValue(key, out var before))
            {
                patch[key] = JsonNodes.Clone(value);
            }
            else if (!JsonNodes.Equal(before, value))
            {
                patch[key] = before is JsonObject && value is JsonObject ? CreatePatch(before, value) : JsonNodes.Clone(value);
            }
        }

        return patch;
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return JsonNodes.Clone(patch);
        }

        if (target is not JsonObject targetObject)
        {
            targetObject = [];
        }

        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                targetObject.Remove(name);
            }
            else
            {
                targetObject.TryGetPropertyValue(name, out var existing);
                var merged = Merge(JsonNodes.Detach(existing), value);
                targetObject[name] = merged;
            }
        }

        return targetObject;
    }
}
