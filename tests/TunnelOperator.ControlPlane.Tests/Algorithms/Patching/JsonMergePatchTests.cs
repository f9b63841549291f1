using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Patching;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Patching;

public sealed class JsonMergePatchTests
{
    // RFC 7386 Appendix A, every row.
    [Theory]
    [InlineData("{'a':'b'}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}")]
    [InlineData("{'a':'b'}", "{'a':null}", "{}")]
    [InlineData("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}")]
    [InlineData("{'a':['b']}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'c'}", "{'a':['b']}", "{'a':['b']}")]
    [InlineData("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}")]
    [InlineData("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("['a','b']", "['c','d']", "['c','d']")]
    [InlineData("{'a':'b'}", "['c']", "['c']")]
    [InlineData("{'a':'foo'}", "null", "null")]
    [InlineData("{'a':'foo'}", "'bar'", "'bar'")]
    [InlineData("{'e':null}", "{'a':1}", "{'e':null,'a':1}")]
    [InlineData("[1,2]", "{'a':'b','c':null}", "{'a':'b'}")]
    [InlineData("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}")]
    public void Apply_FollowsTheRfcAppendix(string original, string patch, string expected)
    {
        Json.Equal(expected, JsonMergePatch.Apply(Json.Parse(original), Json.Parse(patch)));
    }

    [Fact]
    public void Apply_LeavesItsInputsAlone()
    {
        var original = Json.Obj("{'a':{'b':1}}");
        var patch = Json.Obj("{'a':{'c':2}}");

        var result = JsonMergePatch.Apply(original, patch);

        Json.Equal("{'a':{'b':1}}", original);
        Json.Equal("{'a':{'c':2}}", patch);
        Json.Equal("{'a':{'b':1,'c':2}}", result);
    }

    [Fact]
    public void ApplyingACreatedPatch_YieldsTheModifiedDocument_ForRandomDocuments()
    {
        var random = new Random(7386);
        for (var i = 0; i < 300; i++)
        {
            var a = RandomObject(random, 3);
            var b = RandomObject(random, 3);

            var patch = JsonMergePatch.CreatePatch(a, b);

            Json.Equal(Json.Text(b), JsonMergePatch.Apply(a, patch));
        }
    }

    // Null-free documents (a merge patch cannot set a member to null, RFC 7386 §1).
    private static JsonObject RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        var count = random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            var key = ((char)('a' + random.Next(0, 5))).ToString();
            obj[key] = random.Next(0, 4) switch
            {
                0 when depth > 0 => RandomObject(random, depth - 1),
                1 => new JsonArray(JsonValue.Create(random.Next(3)), JsonValue.Create("x")),
                2 => JsonValue.Create(random.Next(0, 3) == 0),
                _ => JsonValue.Create("v" + random.Next(0, 3)),
            };
        }

        return obj;
    }
}
