using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Apply;
using TunnelOperator.ControlPlane.Patching;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Apply;

public sealed class FieldSetTests
{
    // Real fieldsV1 written by kube-apiserver: an Apply entry of a Deployment and the controller's status Update.
    private const string AppliedDeployment = """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""";

    private const string ControllerStatus = """{"f:metadata":{"f:annotations":{".":{},"f:deployment.kubernetes.io/revision":{}}},"f:status":{"f:availableReplicas":{},"f:conditions":{".":{},"k:{\"type\":\"Available\"}":{".":{},"f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}},"k:{\"type\":\"Progressing\"}":{".":{},"f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}}},"f:observedGeneration":{},"f:readyReplicas":{},"f:replicas":{},"f:updatedReplicas":{}}}""";

    private const string Finalizers = """{"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/a\"":{},"v:\"example.com/b\"":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"1f0e\"}":{}}}}""";

    [Theory]
    [InlineData(AppliedDeployment)]
    [InlineData(ControllerStatus)]
    [InlineData(Finalizers)]
    public void RealManagedFields_RoundTripByteForByte(string fieldsV1)
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(fieldsV1));

        Assert.Equal(fieldsV1, set.ToFieldsV1Text());
    }

    [Fact]
    public void Paths_PrintLikeFieldpath()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(AppliedDeployment));

        Assert.Contains(".spec.replicas", set.Paths());
        Assert.Contains(".spec.template.spec.containers[name=\"nginx\"]", set.Paths());
        Assert.Contains(".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"].containerPort", set.Paths());
        Assert.Contains(".metadata.finalizers[=\"example.com/a\"]", FieldSet.FromFieldsV1(JsonNode.Parse(Finalizers)).Paths());
    }

    [Fact]
    public void KeysOutOfOrder_AreWrittenInUpstreamOrder()
    {
        var set = FieldSet.FromFieldsV1(Json.Parse("{'k:{\\'name\\':\\'b\\'}':{},'f:z':{},'i:1':{},'v:3':{},'f:a':{'.':{},'f:x':{}}}"));

        Assert.Equal("""{"f:a":{".":{},"f:x":{}},"f:z":{},"k:{\"name\":\"b\"}":{},"v:3":{},"i:1":{}}""", set.ToFieldsV1Text());
    }

    [Fact]
    public void SetAlgebra_FollowsFieldpath()
    {
        var a = FieldSet.FromFieldsV1(Json.Parse("{'f:spec':{'f:a':{},'f:b':{}},'f:x':{}}"));
        var b = FieldSet.FromFieldsV1(Json.Parse("{'f:spec':{'f:b':{},'f:c':{}}}"));

        Json.Equal("{'f:spec':{'f:a':{},'f:b':{},'f:c':{}},'f:x':{}}", a.Union(b).ToFieldsV1());
        Json.Equal("{'f:spec':{'f:b':{}}}", a.Intersection(b).ToFieldsV1());
        Json.Equal("{'f:spec':{'f:a':{}},'f:x':{}}", a.Difference(b).ToFieldsV1());
        Assert.True(a.Difference(a).IsEmpty);
    }

    [Fact]
    public void Difference_KeepsChildrenOfARemovedMember_RecursiveDifferenceDoesNot()
    {
        var a = FieldSet.FromFieldsV1(Json.Parse("{'f:status':{'.':{},'f:phase':{}},'f:spec':{}}"));
        var status = FieldSet.FromFieldsV1(Json.Parse("{'f:status':{}}"));

        Json.Equal("{'f:spec':{},'f:status':{'f:phase':{}}}", a.Difference(status).ToFieldsV1());
        Json.Equal("{'f:spec':{}}", a.RecursiveDifference(status).ToFieldsV1());
    }

    [Fact]
    public void MalformedFieldsV1_IsRefused()
    {
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1(Json.Parse("{'f:a':1}")));
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1(Json.Parse("{'k:notjson':{}}")));
    }

    [Fact]
    public void UnknownPathElementPrefixes_AreDropped()
    {
        Json.Equal("{'f:a':{}}", FieldSet.FromFieldsV1(Json.Parse("{'f:a':{},'x:future':{}}")).ToFieldsV1());
    }

    [Fact]
    public void FieldSetsOfRandomObjects_SurviveEncodeAndDecode()
    {
        var random = new Random(20260);
        var shape = TypeShapes.For(BuiltinPatchMeta.For("apps/v1", "Deployment"));
        for (var i = 0; i < 200; i++)
        {
            var obj = RandomDeployment(random);
            var set = TypedValuesAccess.ToFieldSet(obj, shape);

            var encoded = set.ToFieldsV1Text();
            var decoded = FieldSet.FromFieldsV1(JsonNode.Parse(encoded));

            Assert.Equal(encoded, decoded.ToFieldsV1Text());
            Assert.Equal(set.Paths(), decoded.Paths());
        }
    }

    private static JsonObject RandomDeployment(Random random)
    {
        var containers = new JsonArray();
        foreach (var name in new[] { "web", "log", "tail", "a.b", "x\"y" }.Where(_ => random.Next(2) == 0))
        {
            var ports = new JsonArray();
            for (var p = 0; p < random.Next(3); p++)
            {
                ports.Add(new JsonObject { ["containerPort"] = 80 + p, ["protocol"] = random.Next(2) == 0 ? "TCP" : "UDP" });
            }

            containers.Add(new JsonObject { ["name"] = name, ["image"] = "img:" + random.Next(9), ["ports"] = ports, ["args"] = new JsonArray("-v") });
        }

        var labels = new JsonObject();
        for (var l = 0; l < random.Next(4); l++)
        {
            labels["k" + random.Next(10) + (random.Next(2) == 0 ? "/x<y>" : "")] = "v";
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = labels, ["finalizers"] = new JsonArray("a/" + random.Next(3), "b") },
            ["spec"] = new JsonObject
            {
                ["replicas"] = random.Next(5),
                ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = containers } },
                ["empty"] = new JsonObject(),
            },
        };
    }
}
