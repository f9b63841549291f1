using Xunit.Sdk;

namespace TunnelOperator.Telemetry.Tests.Support;

/// <summary>The strict parser must itself reject what the format forbids, or the other tests prove little.</summary>
public sealed class ExpositionTests
{
    [Theory]
    [InlineData("x 1\n", "sample before any TYPE")]
    [InlineData("# TYPE x counter\n# TYPE x counter\nx 1\n", "second TYPE")]
    [InlineData("# TYPE x counter\nx 1\n# HELP x late\n", "HELP after")]
    [InlineData("# TYPE x counter\ny 1\n", "does not belong")]
    [InlineData("# TYPE x counter\nx 1\nx 2\n", "duplicate series")]
    [InlineData("# TYPE x counter\nx{a=\"1\"\n", "unterminated")]
    [InlineData("# TYPE x counter\nx{a=\"\\t\"} 1\n", "bad escape")]
    [InlineData("# TYPE x counter\nx{1a=\"v\"} 1\n", "bad label name")]
    [InlineData("# TYPE x counter\nx{__a=\"v\"} 1\n", "reserved label name")]
    [InlineData("# TYPE x counter\nx one\n", "bad value")]
    [InlineData("# TYPE x counter\nx 1", "end with a line feed")]
    [InlineData("# TYPE x summary\nx 1\n", "summary")]
    [InlineData("# TYPE x gauge\n", "Empty")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "cumulative")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "Equal")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "+Inf")]
    public void Parse_RejectsMalformedExpositions(string text, string reason)
    {
        var error = Assert.ThrowsAny<XunitException>(() => Exposition.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsAWellFormedExposition()
    {
        const string text = "# HELP h A \\\\ histogram\\n.\n# TYPE h histogram\nh_bucket{k=\"a\\\"b\",le=\"1\"} 1\nh_bucket{k=\"a\\\"b\",le=\"+Inf\"} 2\nh_sum{k=\"a\\\"b\"} 3.5\nh_count{k=\"a\\\"b\"} 2\n# TYPE g gauge\ng -Inf 1700000000000\n";

        var families = Exposition.Parse(text);

        Assert.Equal("A \\ histogram\n.", families["h"].Help);
        Assert.Equal(3.5, families["h"].Value("h_sum", ("k", "a\"b")));
        Assert.Equal(double.NegativeInfinity, families["g"].Value());
    }
}
