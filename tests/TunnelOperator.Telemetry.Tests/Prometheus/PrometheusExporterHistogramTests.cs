using System.Diagnostics.Metrics;
using TunnelOperator.Telemetry.Tests.Support;

namespace TunnelOperator.Telemetry.Tests.Prometheus;

public sealed class PrometheusExporterHistogramTests
{
    private static readonly string[] PrometheusDefaultBounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];

    [Fact]
    public void SecondsHistogram_UsesPrometheusDefaultBucketsWithCumulativeCounts()
    {
        using var m = new ScrapedMeter();
        var duration = m.Meter.CreateHistogram<double>("request_duration", unit: "s", description: "Request time.");
        foreach (var seconds in new[] { 0.001, 0.005, 0.007, 0.3, 0.3, 4, 11 })
        {
            duration.Record(seconds);
        }

        var family = m.Scrape()["request_duration_seconds"];

        Assert.Equal("histogram", family.Type);
        Assert.Equal("Request time.", family.Help);
        var buckets = family.Samples.Where(s => s.Name == "request_duration_seconds_bucket").ToList();
        Assert.Equal(PrometheusDefaultBounds, buckets.Select(b => b.Labels["le"]));
        // 0.005 is "less than or equal" 0.005, so it counts in that bucket.
        Assert.Equal([2, 3, 3, 3, 3, 3, 5, 5, 5, 6, 6, 7], buckets.Select(b => b.Value));
        Assert.Equal(7, family.Value("request_duration_seconds_count"));
        Assert.Equal(0.001 + 0.005 + 0.007 + 0.3 + 0.3 + 4 + 11, family.Value("request_duration_seconds_sum"), 9);
    }

    [Fact]
    public void HistogramWithTags_HasBucketsSumAndCountPerTagSet()
    {
        using var m = new ScrapedMeter();
        var duration = m.Meter.CreateHistogram<double>("op_seconds", unit: "s");
        duration.Record(0.2, new KeyValuePair<string, object?>("op", "read"));
        duration.Record(3, new KeyValuePair<string, object?>("op", "write"));
        duration.Record(0.02, new KeyValuePair<string, object?>("op", "read"));

        var family = m.Scrape()["op_seconds"];

        Assert.Equal(2, family.Value("op_seconds_count", ("op", "read")));
        Assert.Equal(0.22, family.Value("op_seconds_sum", ("op", "read")), 9);
        Assert.Equal(1, family.Value("op_seconds_bucket", ("op", "read"), ("le", "0.025")));
        Assert.Equal(2, family.Value("op_seconds_bucket", ("op", "read"), ("le", "0.25")));
        Assert.Equal(0, family.Value("op_seconds_bucket", ("op", "write"), ("le", "2.5")));
        Assert.Equal(1, family.Value("op_seconds_bucket", ("op", "write"), ("le", "+Inf")));
        Assert.Equal(1, family.Value("op_seconds_count", ("op", "write")));
    }

    [Fact]
    public void AdvisedBucketBoundaries_ReplaceTheDefaults()
    {
        using var m = new ScrapedMeter();
        var size = m.Meter.CreateHistogram("frame_size", unit: "By", description: null, tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1024, 16384, 65536] });
        size.Record(100);
        size.Record(20000);
        size.Record(1 << 20);

        var text = m.Exporter.Render();
        var family = Exposition.Parse(text)["frame_size_bytes"];

        Assert.Equal(["1024", "16384", "65536", "+Inf"], family.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).Select(s => s.Labels["le"]));
        Assert.Contains("frame_size_bytes_bucket{le=\"65536\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("frame_size_bytes_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Equal(100 + 20000 + (1 << 20), family.Value("frame_size_bytes_sum"));
    }

    [Fact]
    public void AdvisedInfiniteBound_IsDroppedBecausePlusInfIsAlwaysThere()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateHistogram("open_ended", unit: "s", description: null, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, double.PositiveInfinity] }).Record(1);

        var buckets = m.Scrape()["open_ended_seconds"].Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal));

        Assert.Equal(["0.5", "+Inf"], buckets.Select(b => b.Labels["le"]));
    }

    [Fact]
    public void EmptyAdvice_LeavesOnlyThePlusInfBucket()
    {
        using var m = new ScrapedMeter();
        var histogram = m.Meter.CreateHistogram("count_only", unit: "s", description: null, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [] });
        histogram.Record(1);
        histogram.Record(2);

        var family = m.Scrape()["count_only_seconds"];

        Assert.Equal(2, family.Value("count_only_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(3, family.Value("count_only_seconds_sum"));
    }

    [Fact]
    public void HistogramInOtherUnits_UsesTheOpenTelemetryDefaultBuckets()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateHistogram<int>("items_per_batch").Record(60);

        var buckets = m.Scrape()["items_per_batch"].Samples.Where(s => s.Name == "items_per_batch_bucket").ToList();

        Assert.Equal(["0", "5", "10", "25", "50", "75", "100", "250", "500", "750", "1000", "2500", "5000", "7500", "10000", "+Inf"], buckets.Select(b => b.Labels["le"]));
        Assert.Equal(0, buckets.Single(b => b.Labels["le"] == "50").Value);
        Assert.Equal(1, buckets.Single(b => b.Labels["le"] == "75").Value);
    }

    [Fact]
    public void NaNMeasurements_AreDropped()
    {
        using var m = new ScrapedMeter();
        var histogram = m.Meter.CreateHistogram<double>("latency", unit: "s");
        histogram.Record(double.NaN);
        histogram.Record(0.1);

        var family = m.Scrape()["latency_seconds"];

        Assert.Equal(1, family.Value("latency_seconds_count"));
        Assert.Equal(0.1, family.Value("latency_seconds_sum"));
    }

    [Fact]
    public void UserTagNamedLe_IsRenamedSoItCannotClashWithTheBucketBound()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateHistogram<double>("clash", unit: "s").Record(1, new KeyValuePair<string, object?>("le", "mine"));

        var family = m.Scrape()["clash_seconds"];

        Assert.Equal(1, family.Value("clash_seconds_count", ("_le", "mine")));
        Assert.Equal(1, family.Value("clash_seconds_bucket", ("_le", "mine"), ("le", "1")));
    }
}
