using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Serialization;

/// <summary>
/// Kubernetes timestamps (meta/v1 Time) are RFC 3339 in UTC with whole seconds:
/// <c>2026-11-24T13:12:51Z</c>. Reading accepts any RFC 3339 form (offsets, fractions).
/// </summary>
public sealed class Rfc3339DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            throw new JsonException($"'{text}' is not an RFC 3339 timestamp");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
