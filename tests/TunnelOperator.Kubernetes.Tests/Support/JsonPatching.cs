using System.Text.Json.Nodes;

namespace TunnelOperator.Kubernetes.Tests.Support;

/// <summary>RFC 7386 merge patch and the RFC 6902 operations the tests use, for the fake API server.</summary>
internal static class JsonPatching
{
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key], value);
            }
        }

        return result;
    }

    /// <summary>Applies add/replace/remove/test; a failed test throws <see cref="InvalidOperationException"/>.</summary>
    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        var result = target.DeepClone();
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = (string)operation["op"]!;
            var path = ((string)operation["path"]!).Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            var parent = path[..^1].Aggregate(result, (node, key) => node is JsonArray a ? a[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)]! : node[key]!);
            var last = path[^1];
            switch (op)
            {
                case "test":
                    var actual = parent is JsonArray ta ? ta[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] : parent[last];
                    if (!JsonNode.DeepEquals(actual, operation["value"]))
                    {
                        throw new InvalidOperationException($"test at {operation["path"]} failed");
                    }

                    break;
                case "remove" when parent is JsonObject o:
                    o.Remove(last);
                    break;
                case "add" or "replace" when parent is JsonObject o:
                    o[last] = operation["value"]?.DeepClone();
                    break;
                case "add" when parent is JsonArray a:
                    if (last == "-")
                    {
                        a.Add(operation["value"]?.DeepClone());
                    }
                    else
                    {
                        a.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), operation["value"]?.DeepClone());
                    }

                    break;
                default:
                    throw new NotSupportedException($"op {op} at {operation["path"]}");
            }
        }

        return result;
    }
}
