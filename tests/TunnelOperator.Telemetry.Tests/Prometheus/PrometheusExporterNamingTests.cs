using TunnelOperator.Telemetry.Prometheus;
using TunnelOperator.Telemetry.Tests.Support;

namespace TunnelOperator.Telemetry.Tests.Prometheus;

public sealed class PrometheusExporterNamingTests
{
    [Theory]
    [InlineData("tunnel.requests", null, "tunnel_requests_total")]
    [InlineData("tunnel-requests count", null, "tunnel_requests_count_total")]
    [InlineData("9lives", null, "_9lives_total")]
    [InlineData("ns:requests", null, "ns:requests_total")]
    [InlineData("busy", "s", "busy_seconds_total")]
    [InlineData("busy_seconds", "s", "busy_seconds_total")]
    [InlineData("busy_total", "s", "busy_total")]
    [InlineData("tx", "By", "tx_bytes_total")]
    [InlineData("tx", "{packets}", "tx_total")]
    public void CounterNames_AreSanitisedAndSuffixed(string instrument, string? unit, string expected)
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateCounter<long>(instrument, unit).Add(1);

        Assert.Equal([expected], m.Scrape().Keys);
    }

    [Theory]
    [InlineData("request.duration", "s", "request_duration_seconds")]
    [InlineData("tunnel_edge_request_duration_seconds", "s", "tunnel_edge_request_duration_seconds")]
    [InlineData("lag", "ms", "lag_milliseconds")]
    [InlineData("size", null, "size")]
    public void HistogramNames_GetTheUnitSuffixOnce(string instrument, string? unit, string expected)
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateHistogram<double>(instrument, unit).Record(1);

        Assert.Equal([expected], m.Scrape().Keys);
    }

    [Theory]
    [InlineData("http.status code", "http_status_code")]
    [InlineData("1st", "_1st")]
    [InlineData("__name__", "key__name__")]
    [InlineData("a:b", "a_b")]
    [InlineData("ok_name", "ok_name")]
    public void LabelNames_AreSanitised(string tag, string expected)
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateCounter<long>("labelled").Add(1, new KeyValuePair<string, object?>(tag, "v"));

        Assert.Equal(1, m.Scrape()["labelled_total"].Value((expected, "v")));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("two\nlines", "two\\nlines")]
    [InlineData("all \\ \" \n", "all \\\\ \\\" \\n")]
    public void LabelValues_AreEscaped(string value, string rendered)
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateCounter<long>("escaped").Add(1, new KeyValuePair<string, object?>("v", value));

        var text = m.Exporter.Render();

        Assert.Contains($"escaped_total{{v=\"{rendered}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(1, Exposition.Parse(text)["escaped_total"].Value(("v", value)));
    }

    [Fact]
    public void Help_EscapesBackslashAndNewlineButNotQuotes()
    {
        using var m = new ScrapedMeter();
        const string description = "Counts \"things\" in C:\\data\nper second.";
        m.Meter.CreateCounter<long>("described", description: description).Add(1);

        var text = m.Exporter.Render();

        Assert.StartsWith("# HELP described_total Counts \"things\" in C:\\\\data\\nper second.\n", text, StringComparison.Ordinal);
        Assert.Equal(description, Exposition.Parse(text)["described_total"].Help);
    }

    [Fact]
    public void TagsThatSanitiseToTheSameLabel_KeepOnlyTheFirstByName()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateCounter<long>("dupes").Add(1, new KeyValuePair<string, object?>("a.b", "1"), new KeyValuePair<string, object?>("a-b", "2"));

        var sample = Assert.Single(m.Scrape()["dupes_total"].Samples);

        Assert.Single(sample.Labels);
    }

    [Theory]
    [InlineData(0.005, "0.005")]
    [InlineData(1.0, "1")]
    [InlineData(2.5, "2.5")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Doubles_RenderInTheShortestRoundTripForm(double value, string expected)
    {
        var text = new System.Text.StringBuilder();
        PrometheusText.AppendDouble(text, value);

        Assert.Equal(expected, text.ToString());
    }
}
