using System.Text.Json.Nodes;

namespace TunnelOperator.Controllers;

/// <summary>
/// RFC 7386 merge patches computed from two documents: the smallest patch that turns
/// <c>original</c> into <c>modified</c> (members that went away become <c>null</c>, arrays are
/// replaced whole, as merge patch defines).
/// </summary>
internal static class MergePatches
{
    public static JsonNode? Create(JsonNode? original, JsonNode? modified)
    {
        if (original is not JsonObject from || modified is not JsonObject to)
        {
            return modified?.DeepClone();
        }

        var patch = new JsonObject();
        foreach (var (name, _) in from)
        {
            if (!to.ContainsKey(name))
            {
                patch[name] = null;
            }
        }

        foreach (var (name, value) in to)
        {
            if (!from.TryGetPropertyValue(name, out var before))
            {
                patch[name] = value?.DeepClone();
            }
            else if (before is JsonObject && value is JsonObject)
            {
                var nested = Create(before, value);
                if (nested is JsonObject { Count: > 0 })
                {
                    patch[name] = nested;
                }
            }
            else if (!JsonNode.DeepEquals(before, value))
            {
                patch[name] = value?.DeepClone();
            }
        }

        return patch;
    }
}
