using System.Text.Json;
using System.Text.Json.Serialization;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Kubernetes.Serialization;

/// <summary>Reads a JSON number or string; writes the value back in the form it holds.</summary>
public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt32(out var number) => IntOrString.FromInt(number),
            JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
            _ => throw new JsonException($"expected an integer or a string, found {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IntValue is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value.StringValue ?? "");
        }
    }
}
