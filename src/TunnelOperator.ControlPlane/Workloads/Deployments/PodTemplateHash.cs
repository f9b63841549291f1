using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Workloads.Deployments;

/// <summary>
/// The <c>pod-template-hash</c> label value of a Pod template (controller.ComputeHash): FNV-1a 32 over the
/// template (canonical JSON here, where Go hashes its printed struct) and the collision count, written
/// with rand.SafeEncodeString's alphabet so it never spells words. Equal templates hash equal.
/// </summary>
internal static class PodTemplateHash
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonNode? template, long collisionCount = 0)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template) + (collisionCount > 0 ? collisionCount.ToString(CultureInfo.InvariantCulture) : "")))
        {
            hash = (hash ^ b) * 16777619u;
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        var encoded = new StringBuilder(digits.Length);
        foreach (var c in digits)
        {
            encoded.Append(Alphabet[c % Alphabet.Length]);
        }

        return encoded.ToString();
    }

    /// <summary>JSON with object keys sorted, so property order never changes the hash.</summary>
    private static string Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
