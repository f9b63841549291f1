using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Serialization;

/// <summary>
/// meta/v1 MicroTime: RFC 3339 in UTC with exactly six fractional digits,
/// <c>2026-11-24T13:12:51.123456Z</c> (Go layout <c>2006-01-02T15:04:05.000000Z07:00</c>). Lease
/// renew/acquire times and event times use it; whole-second <c>Time</c> would make a leader's
/// renewals indistinguishable within a second. Reading accepts any RFC 3339 form.
/// </summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset>
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
        writer.WriteStringValue(Format(value));

    /// <summary>The wire form; ticks beyond microseconds are truncated, as Go's formatter does.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
