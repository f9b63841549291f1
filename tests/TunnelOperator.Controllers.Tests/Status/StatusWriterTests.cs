using System.Text.Json.Nodes;
using TunnelOperator.Controllers.Tests.Support;
using TunnelOperator.Crds.Tunnels;

namespace TunnelOperator.Controllers.Tests;

public sealed class StatusWriterTests
{
    [Fact]
    public void HasChanged_ComparesTheStatusStructurally()
    {
        var observed = TestObjects.Tunnel("t") with { Status = new TunnelStatus { PublicUrl = "https://t.example/", Conditions = [new() { Type = "Ready", Status = "True", Reason = "Up" }] } };
        var sameContent = observed with { Status = new TunnelStatus { PublicUrl = "https://t.example/", Conditions = [new() { Type = "Ready", Status = "True", Reason = "Up" }] } };
        var specOnly = sameContent with { Spec = sameContent.Spec with { Name = "other" } };
        var changed = observed with { Status = observed.Status with { ConnectedAgents = 2 } };

        Assert.False(StatusWriter.HasChanged(observed, sameContent));
        Assert.False(StatusWriter.HasChanged(observed, specOnly));
        Assert.True(StatusWriter.HasChanged(observed, changed));
        Assert.True(StatusWriter.HasChanged(TestObjects.Tunnel("t"), observed));
    }

    [Fact]
    public void MergePatch_HoldsOnlyTheDifference_NullsForRemovals()
    {
        var before = JsonNode.Parse("""{"a":1,"b":{"c":2,"d":3},"list":[1,2],"gone":"x"}""");
        var after = JsonNode.Parse("""{"a":1,"b":{"c":2,"d":4},"list":[1],"new":true}""");

        var patch = MergePatches.Create(before, after);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"gone":null,"b":{"d":4},"list":[1],"new":true}"""), patch));
        Assert.True(JsonNode.DeepEquals(after, MergePatches.Create(null, after)));
    }
}
