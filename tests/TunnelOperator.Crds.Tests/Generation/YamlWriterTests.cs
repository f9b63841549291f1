using System.Text.Json.Nodes;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Tests.Support;

namespace TunnelOperator.Crds.Tests.Generation;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("True")]
    [InlineData("false")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("y")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("80")]
    [InlineData("0777")]
    [InlineData("1e3")]
    [InlineData("1:30")]
    [InlineData("-1")]
    [InlineData(".5")]
    [InlineData(".inf")]
    [InlineData("")]
    [InlineData(" padded ")]
    [InlineData("48h")]
    [InlineData("<<")]
    [InlineData("n")]
    public void StringsThatReadAsOtherTypes_AreQuoted(string text)
    {
        Assert.True(YamlWriter.ReadsAsNonString(text));
        var yaml = YamlWriter.Write(new JsonObject { ["v"] = text });
        Assert.StartsWith("v: \"", yaml, StringComparison.Ordinal);
        Assert.Equal(text, YamlJson.Parse(yaml)["v"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http")]
    [InlineData("tls-passthrough")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status")]
    [InlineData("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    [InlineData("a: colon and a # hash")]
    [InlineData("!has(self.target.url) || x")]
    [InlineData("'quoted'")]
    [InlineData("Unknown")]
    [InlineData("*.example.com")]
    public void OtherStrings_ReadBackUnchanged(string text)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["v"] = text, ["list"] = new JsonArray(text) });
        var read = YamlJson.Parse(yaml);
        Assert.Equal(text, read["v"]!.GetValue<string>());
        Assert.Equal(text, read["list"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Values_KeepTheirTypes_AndKeysTheirOrder()
    {
        var tree = new JsonObject
        {
            ["z"] = 1,
            ["a"] = true,
            ["m"] = new JsonObject(),
            ["e"] = new JsonArray(),
            ["k"] = new JsonObject { ["deep"] = new JsonArray(1L, "two", false) },
            ["big"] = 9007199254740993L,
        };

        var yaml = YamlWriter.Write(tree);

        Assert.Equal("z: 1\na: true\nm: {}\ne: []\nk:\n  deep:\n  - 1\n  - two\n  - false\nbig: 9007199254740993\n", yaml);
        Assert.True(JsonNode.DeepEquals(tree, YamlJson.Parse(yaml)));
    }

    [Fact]
    public void MultiLineStrings_AreLiteralBlocks()
    {
        var yaml = YamlWriter.Write(new JsonObject { ["d"] = "line one\nline two" });
        Assert.Equal("line one\nline two", YamlJson.Parse(yaml)["d"]!.GetValue<string>());
        Assert.Contains("|-", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void LongLines_AreNotFolded()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 100));
        var yaml = YamlWriter.Write(new JsonObject { ["d"] = text });
        Assert.Equal($"d: {text}\n", yaml);
    }

    [Fact]
    public void HeaderComment_PrecedesTheDocument()
    {
        var yaml = YamlWriter.Write(new JsonObject { ["a"] = 1 }, "first\n\nthird");
        Assert.Equal("# first\n#\n# third\na: 1\n", yaml);
    }
}
