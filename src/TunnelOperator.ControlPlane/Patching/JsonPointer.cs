using System.Globalization;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Patching;

/// <summary>RFC 6901 JSON Pointer parsing and resolution.</summary>
internal static class JsonPointer
{
    public static IReadOnlyList<string> Parse(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"JSON pointer \"{pointer}\" must be empty or start with \"/\"");
        }

        // §4: ~1 becomes / before ~0 becomes ~, so "~01" is "~1" and not "/".
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static int ArrayIndex(string token, string path)
    {
        // §4: array indices are decimal without leading zeros.
        if (token.Length == 0 || token.Length > 1 && token[0] == '0' || !token.All(char.IsAsciiDigit)
            || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new PatchException($"invalid array index \"{token}\" in {path}");
        }

        return index;
    }

    public static JsonNode? Resolve(JsonNode? doc, IReadOnlyList<string> tokens, out bool found)
    {
        var current = doc;
        foreach (var token in tokens)
        {
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    current = child;
                    break;
                case JsonArray array when token.Length > 0 && token.All(char.IsAsciiDigit) && (token.Length == 1 || token[0] != '0')
                    && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count:
                    current = array[i];
                    break;
                default:
                    found = false;
                    return null;
            }
        }

        found = true;
        return current;
    }
}
