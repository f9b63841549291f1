using TunnelOperator.Kubernetes.Models.Core;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Tests.Generation;

public sealed class SchemaBuilderTests
{
    internal enum Colour
    {
        [JsonStringEnumMemberName("red")]
        Red,

        [JsonStringEnumMemberName("light-blue")]
        LightBlue,
    }

    internal enum Unnamed
    {
        First,
    }

    [CelRule("self.low <= self.high", "low must not exceed high")]
    internal sealed record Sample
    {
        [Description("A required name.")]
        [Pattern("^[a-z]+$")]
        [Length(1, 10)]
        public required string Name { get; init; }

        [Description("An optional count.")]
        [Range(0, 5)]
        public int? Count { get; init; }

        [Description("A defaulted colour.")]
        [Default(Colour.LightBlue)]
        public Colour Colour { get; set; } = Colour.LightBlue;

        [Description("Hostnames.")]
        [Pattern("^[a-z.]+$")]
        [Length(1, 253)]
        [Items(1, 3)]
        [ListSet]
        public IReadOnlyList<string>? Hosts { get; init; }

        [Description("Entries by key.")]
        [ListMapKeys("key")]
        public IReadOnlyList<Entry>? Entries { get; init; }

        [Description("Plain list.")]
        public IReadOnlyList<int>? Numbers { get; init; }

        [Description("Labels.")]
        [Items(0, 4)]
        [Length(0, 20)]
        public IReadOnlyDictionary<string, string>? Labels { get; init; }

        [Description("Port.")]
        public IntOrString? Port { get; init; }

        [Description("When.")]
        public DateTimeOffset? At { get; init; }

        [Description("Big.")]
        [Minimum(1)]
        public long? Big { get; init; }

        [Description("Free-form.")]
        [PreserveUnknownFields]
        public JsonElement? Extra { get; init; }

        [Description("Renamed.")]
        [JsonPropertyName("publicURL")]
        public string? PublicUrl { get; init; }

        [JsonIgnore]
        public string? NotSerialised { get; init; }

        [Description("Low.")]
        public int Low { get; init; }

        [Description("High.")]
        public int High { get; init; }

        [Description("Observations.")]
        public IReadOnlyList<Condition>? Conditions { get; init; }
    }

    internal sealed record Entry
    {
        [Description("Key.")]
        public required string Key { get; init; }

        [Description("Value.")]
        [Enum("a", "b")]
        public string? Value { get; init; }
    }

    internal sealed record Undescribed
    {
        public string? Field { get; init; }
    }

    internal sealed record InitOnlyDefault
    {
        [Description("Init-only.")]
        [Default(3)]
        public int Value { get; init; } = 3;
    }

    internal sealed record WithUnnamedEnum
    {
        [Description("Unnamed.")]
        public Unnamed Value { get; init; }
    }

    private static readonly JsonObject Schema = SchemaBuilder.ForType(typeof(Sample));

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject Property(string name) => (JsonObject)Schema["properties"]![name]!;

    private static string Json(JsonNode node) => node.ToJsonString(Readable);

    [Fact]
    public void RequiredMembers_AreRequired_AndNullableOnesAreNot()
    {
        Assert.Equal(["name"], Schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Properties_UseTheSerializersNames_InOrdinalOrder()
    {
        Assert.Equal(
            ["at", "big", "colour", "conditions", "count", "entries", "extra", "high", "hosts", "labels", "low", "name", "numbers", "port", "publicURL"],
            Schema["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Scalars_MapToOpenApiTypes()
    {
        Assert.Equal("""{"description":"A required name.","type":"string","minLength":1,"maxLength":10,"pattern":"^[a-z]+$"}""", Json(Property("name")));
        Assert.Equal("""{"description":"An optional count.","type":"integer","format":"int32","minimum":0,"maximum":5}""", Json(Property("count")));
        Assert.Equal("""{"description":"Big.","type":"integer","format":"int64","minimum":1}""", Json(Property("big")));
        Assert.Equal("""{"description":"When.","type":"string","format":"date-time"}""", Json(Property("at")));
    }

    [Fact]
    public void Enums_UseTheirWireNames_AndDefaultsToo()
    {
        Assert.Equal("""{"description":"A defaulted colour.","type":"string","enum":["red","light-blue"],"default":"light-blue"}""", Json(Property("colour")));
    }

    [Fact]
    public void ScalarConstraintsOnAList_ApplyToItsItems()
    {
        Assert.Equal(
            """{"description":"Hostnames.","type":"array","minItems":1,"maxItems":3,"items":{"type":"string","minLength":1,"maxLength":253,"pattern":"^[a-z.]+$"},"x-kubernetes-list-type":"set"}""",
            Json(Property("hosts")));
        Assert.Equal(
            """{"description":"Labels.","type":"object","maxProperties":4,"additionalProperties":{"type":"string","maxLength":20}}""",
            Json(Property("labels")));
    }

    [Fact]
    public void Lists_StateTheirListType()
    {
        Assert.Equal("atomic", Property("numbers")["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal("map", Property("entries")["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal("""["key"]""", Property("entries")["x-kubernetes-list-map-keys"]!.ToJsonString());
        Assert.Equal("""["a","b"]""", Property("entries")["items"]!["properties"]!["value"]!["enum"]!.ToJsonString());
    }

    [Fact]
    public void IntOrString_IsTheStructuralAnyOfForm()
    {
        Assert.Equal(
            """{"description":"Port.","anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true}""",
            Json(Property("port")));
    }

    [Fact]
    public void PreserveUnknownFields_KeepsAFreeFormObject()
    {
        Assert.Equal("""{"description":"Free-form.","type":"object","x-kubernetes-preserve-unknown-fields":true}""", Json(Property("extra")));
    }

    [Fact]
    public void JsonIgnoredMembers_AreLeftOut()
    {
        Assert.Null(Schema["properties"]!["notSerialised"]);
    }

    [Fact]
    public void CelRulesOnAType_LandOnItsSchema()
    {
        Assert.Equal("""[{"rule":"self.low <= self.high","message":"low must not exceed high"}]""", Json(Schema["x-kubernetes-validations"]!));
    }

    [Fact]
    public void Conditions_FollowTheSharedModel()
    {
        var condition = (JsonObject)Property("conditions")["items"]!;
        var properties = condition["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(["lastTransitionTime", "message", "observedGeneration", "reason", "status", "type"], properties);
        Assert.Equal(["status", "type"], condition["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("""["True","False","Unknown"]""", condition["properties"]!["status"]!["enum"]!.ToJsonString());
    }

    [Fact]
    public void AFieldWithoutDescription_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SchemaBuilder.ForType(typeof(Undescribed)));
        Assert.Contains("Undescribed.Field has no [Description]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEnumMemberWithoutWireName_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SchemaBuilder.ForType(typeof(WithUnnamedEnum)));
        Assert.Contains("Unnamed.First has no [JsonStringEnumMemberName]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADefaultOnAnInitOnlyProperty_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SchemaBuilder.ForType(typeof(InitOnlyDefault)));
        Assert.Contains("InitOnlyDefault.Value has a [Default] but no plain setter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnmappedType_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => SchemaBuilder.ForType(typeof(Guid)));
    }
}
