using System.Text.Json.Nodes;

namespace TunnelOperator.Operator.Apply;

/// <summary>
/// Whether a live object already says everything a desired one says: every property the desired JSON
/// sets is present in the live JSON with an equal value, recursively; lists must have the same length
/// and match item by item. Fields the server or other managers added are ignored. Pure.
/// </summary>
internal static class JsonSubset
{
    public static bool Contains(JsonNode? live, JsonNode? desired)
    {
        switch (desired)
        {
            case null:
                return true;
            case JsonObject wanted:
                if (live is not JsonObject have)
                {
                    return false;
                }

                foreach (var (key, value) in wanted)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    if (!have.TryGetPropertyValue(key, out var actual) || !Contains(actual, value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray wantedItems:
                if (live is not JsonArray haveItems || haveItems.Count != wantedItems.Count)
                {
                    return false;
                }

                for (var i = 0; i < wantedItems.Count; i++)
                {
                    if (!Contains(haveItems[i], wantedItems[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return live is JsonValue && JsonNode.DeepEquals(live, desired);
        }
    }
}
