using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Algorithms;

/// <summary>Test shorthand: JSON text (single quotes allowed for readability) to nodes.</summary>
internal static class Json
{
    public static JsonNode? Parse(string text) => JsonNode.Parse(text.Replace('\'', '"'));

    public static JsonObject Obj(string text) => (JsonObject)Parse(text)!;

    public static JsonArray Arr(string text) => (JsonArray)Parse(text)!;

    /// <summary>Compact JSON with keys in their stored order.</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    public static void Equal(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(Parse(expected), actual), $"expected {Text(Parse(expected))}\n  actual {Text(actual)}");
}
