using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Store.Tests.Tenants;

public sealed class HostnamePatternsTests
{
    [Theory]
    [InlineData("*.alice.example.eu", "app.alice.example.eu", true)]
    [InlineData("*.alice.example.eu", "alice.example.eu", false)]
    [InlineData("*.alice.example.eu", "a.b.alice.example.eu", false)]
    [InlineData("*.alice.example.eu", "app.bob.example.eu", false)]
    [InlineData("*.alice.example.eu", "appalice.example.eu", false)]
    [InlineData("*.alice.example.eu", "*.alice.example.eu", true)]
    [InlineData("*.alice.example.eu", "*.x.alice.example.eu", false)]
    [InlineData("app.alice.example.eu", "app.alice.example.eu", true)]
    [InlineData("app.alice.example.eu", "x.app.alice.example.eu", false)]
    public void Covers_AWildcardMatchesExactlyOneLabel(string pattern, string name, bool expected) =>
        Assert.Equal(expected, HostnamePatterns.Covers(pattern, name));

    [Theory]
    [InlineData(" App.Alice.Example.EU. ", "app.alice.example.eu")]
    [InlineData("*.alice.example.eu", "*.alice.example.eu")]
    public void TryNormalize_LowercasesAndTrims(string input, string expected)
    {
        Assert.True(HostnamePatterns.TryNormalize(input, out var normalized, out var problem), problem);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("localhost", "two labels")]
    [InlineData("*.eu", "too broad")]
    [InlineData("a.*.example.eu", "'*' may only")]
    [InlineData("-a.example.eu", "label '-a'")]
    [InlineData("a_b.example.eu", "label 'a_b'")]
    [InlineData("app.example.eu\0", "label")]
    public void TryNormalize_RefusesWithAReason(string input, string reason)
    {
        Assert.False(HostnamePatterns.TryNormalize(input, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void WildcardOver_IsOneLabelUp_AndNullForTwoLabelNames()
    {
        Assert.Equal("*.alice.example.eu", HostnamePatterns.WildcardOver("app.alice.example.eu"));
        Assert.Null(HostnamePatterns.WildcardOver("example.eu"));
    }

    [Theory]
    [InlineData("", 80, true)]
    [InlineData("2222,5353,10000-10100", 2222, true)]
    [InlineData("2222,5353,10000-10100", 10050, true)]
    [InlineData("2222,5353,10000-10100", 10101, false)]
    [InlineData("2222", 2223, false)]
    public void PortRanges_Contains(string spec, int port, bool expected)
    {
        Assert.True(PortRanges.TryParse(spec, out var ranges, out var problem), problem);
        Assert.Equal(expected, ranges.Contains(port));
        Assert.Equal(spec, ranges.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("20-10")]
    [InlineData("ssh")]
    [InlineData("1-2-3")]
    public void PortRanges_RefusesWhatIsNotAPortOrRange(string spec) =>
        Assert.False(PortRanges.TryParse(spec, out _, out _));
}
