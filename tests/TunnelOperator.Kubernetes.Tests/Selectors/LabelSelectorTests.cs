using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Selectors;

namespace TunnelOperator.Kubernetes.Tests.Selectors;

public sealed class LabelSelectorTests
{
    [Fact]
    public void Builder_WritesEveryOperator_OrderedByKey()
    {
        var selector = new LabelSelectorBuilder()
            .NotIn("tier", "legacy", "beta")
            .Equal("app.kubernetes.io/name", "edge")
            .Exists("tunneloperator.io/managed")
            .DoesNotExist("paused")
            .NotEqual("zone", "a")
            .In("env", "prod", "dev", "prod")
            .Build();

        Assert.Equal("app.kubernetes.io/name=edge,env in (dev,prod),!paused,tier notin (beta,legacy),tunneloperator.io/managed,zone!=a", selector);
    }

    [Theory]
    [InlineData("app", "a,b=c")]
    [InlineData("app", "-leading")]
    [InlineData("bad key", "x")]
    [InlineData("UPPER.example.com/x", "y")]
    [InlineData("/name", "y")]
    public void Builder_RefusesKeysAndValuesThatCouldBendTheSelector(string key, string value) =>
        Assert.Throws<ArgumentException>(() => new LabelSelectorBuilder().Equal(key, value));

    [Fact]
    public void Builder_RefusesAnEmptySet() =>
        Assert.Throws<ArgumentException>(() => new LabelSelectorBuilder().In("env"));

    [Fact]
    public void LabelSelector_BecomesTheQueryString()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "edge" },
            MatchExpressions = [new LabelSelectorRequirement { Key = "tier", Operator = LabelSelectorRequirement.In, Values = ["a", "b"] }],
        };

        Assert.Equal("app=edge,tier in (a,b)", selector.ToSelectorString());
        Assert.Equal("", new LabelSelector().ToSelectorString());
    }

    public static TheoryData<string, bool> MatchCases => new()
    {
        { "app=edge,tier=a", true },
        { "app=hub,tier=a", false },
        { "app=edge,tier=c", false },
        { "app=edge,tier=a,legacy=yes", false },
        { "app=edge,tier=b,legacy=", false },
    };

    [Theory]
    [MemberData(nameof(MatchCases))]
    public void Matches_AndsLabelsAndExpressions(string labels, bool expected)
    {
        var selector = new LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "edge" },
            MatchExpressions =
            [
                new LabelSelectorRequirement { Key = "tier", Operator = LabelSelectorRequirement.In, Values = ["a", "b"] },
                new LabelSelectorRequirement { Key = "legacy", Operator = LabelSelectorRequirement.DoesNotExist },
                new LabelSelectorRequirement { Key = "zone", Operator = LabelSelectorRequirement.NotIn, Values = ["x"] },
            ],
        };
        var map = labels.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(expected, selector.Matches(map));
    }

    [Fact]
    public void Matches_EmptySelectorMatchesEverything() =>
        Assert.True(new LabelSelector().Matches(null));
}
