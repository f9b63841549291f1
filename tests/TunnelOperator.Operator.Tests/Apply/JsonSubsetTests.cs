using System.Text.Json.Nodes;
using TunnelOperator.Operator.Apply;

namespace TunnelOperator.Operator.Tests.Apply;

public sealed class JsonSubsetTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"c":"x"}}""", """{"a":1}""", true)]
    [InlineData("""{"a":1,"b":{"c":"x","d":2}}""", """{"b":{"c":"x"}}""", true)]
    [InlineData("""{"a":1}""", """{"a":2}""", false)]
    [InlineData("""{"a":"1"}""", """{"a":1}""", false)]
    [InlineData("""{"a":1}""", """{"b":1}""", false)]
    [InlineData("""{"l":[{"n":"a","x":1},{"n":"b"}]}""", """{"l":[{"n":"a"},{"n":"b"}]}""", true)]
    [InlineData("""{"l":[{"n":"a"},{"n":"b"},{"n":"c"}]}""", """{"l":[{"n":"a"},{"n":"b"}]}""", false)]
    [InlineData("""{"l":[{"n":"b"},{"n":"a"}]}""", """{"l":[{"n":"a"},{"n":"b"}]}""", false)]
    [InlineData("""{"e":{}}""", """{"e":{}}""", true)]
    [InlineData("""{}""", """{"e":{}}""", false)]
    [InlineData("""{"a":1}""", """{"a":null}""", true)]
    public void Contains_LiveSaysEverythingDesiredSays(string live, string desired, bool expected)
    {
        Assert.Equal(expected, JsonSubset.Contains(JsonNode.Parse(live), JsonNode.Parse(desired)));
    }
}
