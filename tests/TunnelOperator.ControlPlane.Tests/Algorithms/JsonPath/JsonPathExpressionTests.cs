using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.JsonPath;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.JsonPath;

public sealed class JsonPathExpressionTests
{
    private static readonly JsonNode Pod = Json.Parse("""
        {'kind':'Pod','metadata':{'name':'web-1','labels':{'app.kubernetes.io/name':'web','tier':'front'}},
         'spec':{'containers':[{'name':'web','image':'nginx','ports':[{'containerPort':80},{'containerPort':443}]},
                               {'name':'log','image':'fluent'},{'name':'tail','image':'busybox'}]},
         'status':{'phase':'Running','restarts':3,'ready':true,
                   'conditions':[{'type':'Initialized','status':'True'},{'type':'Ready','status':'False','age':1.5},{'type':'PodScheduled','status':'True','age':7}]}}
        """)!;

    private static string Eval(string path) =>
        string.Join("|", JsonPathExpression.Parse(path).Evaluate(Pod).Select(n => n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "null"));

    [Theory]
    [InlineData(".metadata.name", "web-1")]
    [InlineData("{.metadata.name}", "web-1")]
    [InlineData("{$.metadata.name}", "web-1")]
    [InlineData(".status.restarts", "3")]
    [InlineData(".status.ready", "true")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "web")]
    [InlineData(".metadata.labels[\"app.kubernetes.io/name\"]", "web")]
    [InlineData(".metadata.labels.app\\.kubernetes\\.io/name", "web")]
    [InlineData(".spec.containers[0].name", "web")]
    [InlineData(".spec.containers[-1].name", "tail")]
    [InlineData(".spec.containers[1:3].name", "log|tail")]
    [InlineData(".spec.containers[:2].name", "web|log")]
    [InlineData(".spec.containers[0,2].name", "web|tail")]
    [InlineData(".spec.containers[*].image", "nginx|fluent|busybox")]
    [InlineData(".spec.containers[*].ports[*].containerPort", "80|443")]
    [InlineData("..containerPort", "80|443")]
    [InlineData(".metadata.labels[*]", "web|front")]
    [InlineData(".metadata['name','kind']", "web-1")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "False")]
    [InlineData(".status.conditions[?(@.type=='Ready')].status", "False")]
    [InlineData(".status.conditions[?(@.status!=\"True\")].type", "Ready")]
    [InlineData(".status.conditions[?(@.age>1)].type", "Ready|PodScheduled")]
    [InlineData(".status.conditions[?(@.age<=1.5)].type", "Ready")]
    [InlineData(".status.conditions[?(@.age)].type", "Ready|PodScheduled")]
    [InlineData(".", "")]
    public void Evaluate_SelectsWhatClientGoSelects(string path, string expected)
    {
        if (path == ".")
        {
            Assert.Same(Pod, JsonPathExpression.Parse(path).Evaluate(Pod).Single());
            return;
        }

        Assert.Equal(expected, Eval(path));
    }

    [Theory]
    [InlineData(".metadata.missing")]
    [InlineData(".spec.containers[9].name")]
    [InlineData(".spec.containers.name")]
    [InlineData(".status.phase.deeper")]
    [InlineData(".status.conditions[?(@.type==\"Gone\")].status")]
    public void UnknownPaths_YieldNothing(string path)
    {
        Assert.Empty(JsonPathExpression.Parse(path).Evaluate(Pod));
    }

    [Theory]
    [InlineData(".spec.containers[")]
    [InlineData(".spec.containers[x]")]
    [InlineData(".spec.containers[?@.x]")]
    public void MalformedExpressions_AreRefused(string path)
    {
        Assert.Throws<FormatException>(() => JsonPathExpression.Parse(path));
    }
}
