using TunnelOperator.ControlPlane.Patching;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Patching;

public sealed class JsonPatchTests
{
    // RFC 6902 Appendix A examples that succeed.
    [Theory]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}")]
    [InlineData("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}")]
    [InlineData("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}")]
    [InlineData("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}")]
    [InlineData("{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}")]
    [InlineData("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}", "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]", "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}")]
    [InlineData("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}")]
    [InlineData("{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]", "{'baz':'qux','foo':['a',2,'c']}")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}")]
    [InlineData("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}")]
    [InlineData("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}")]
    [InlineData("{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':1},'c':{'b':1}}")]
    [InlineData("{'a':1}", "[{'op':'replace','path':'','value':[1]}]", "[1]")]
    [InlineData("{'metadata':{'labels':{'app/name':'x'}}}", "[{'op':'replace','path':'/metadata/labels/app~1name','value':'y'}]", "{'metadata':{'labels':{'app/name':'y'}}}")]
    public void Apply_FollowsTheRfc(string document, string patch, string expected)
    {
        Json.Equal(expected, JsonPatch.Apply(Json.Parse(document), Json.Arr(patch)));
    }

    // RFC 6902 Appendix A error examples and malformed operations.
    [Theory]
    [InlineData("{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]", "test operation failed")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]", "doc is missing path: /baz/bat")]
    [InlineData("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", "test operation failed")]
    [InlineData("{'a':1}", "[{'op':'remove','path':'/b'}]", "remove operation does not apply")]
    [InlineData("{'a':1}", "[{'op':'replace','path':'/b','value':2}]", "replace operation does not apply")]
    [InlineData("{'a':[1]}", "[{'op':'add','path':'/a/01','value':2}]", "invalid array index")]
    [InlineData("{'a':[1]}", "[{'op':'add','path':'/a/5','value':2}]", "out of bounds")]
    [InlineData("{'a':1}", "[{'op':'add','path':'/b'}]", "has no \"value\" member")]
    [InlineData("{'a':1}", "[{'op':'frobnicate','path':'/a'}]", "unexpected operation")]
    [InlineData("{'a':1}", "[{'op':'add','path':'b','value':1}]", "must be empty or start with")]
    [InlineData("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]", "own child")]
    public void Apply_RefusesWhatDoesNotApply(string document, string patch, string message)
    {
        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse(document), Json.Arr(patch)));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingOperation_LeavesTheTargetUntouched()
    {
        var document = Json.Obj("{'a':1}");

        Assert.Throws<PatchException>(() => JsonPatch.Apply(document, Json.Arr("[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':5}]")));

        Json.Equal("{'a':1}", document);
    }

    [Fact]
    public void Test_ComparesNumbersByValueAndObjectsRegardlessOfOrder()
    {
        JsonPatch.Apply(Json.Parse("{'a':1.0,'o':{'x':1,'y':2}}"), Json.Arr("[{'op':'test','path':'/a','value':1},{'op':'test','path':'/o','value':{'y':2,'x':1}}]"));
    }
}
