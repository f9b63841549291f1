using System.Diagnostics.Metrics;
using System.Text;
using TunnelOperator.Telemetry.Tests.Support;

namespace TunnelOperator.Telemetry.Tests.Prometheus;

public sealed class PrometheusExporterTests
{
    private static readonly KeyValuePair<string, object?>[] NoTags = [];

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Counter_WithoutTags_IsOneSeriesNamedTotalWithHelpAndType()
    {
        using var m = new ScrapedMeter();
        var counter = m.Meter.CreateCounter<long>("requests", description: "Requests seen.");
        counter.Add(2);
        counter.Add(3);

        var text = m.Exporter.Render();

        Assert.Equal("# HELP requests_total Requests seen.\n# TYPE requests_total counter\nrequests_total 5\n", text);
        Assert.Equal(5, Exposition.Parse(text)["requests_total"].Value());
    }

    [Fact]
    public void EdgeStyleInstruments_RenderTheSeriesTheAdminEndpointPromises()
    {
        using var m = new ScrapedMeter();
        var active = 1;
        m.Meter.CreateObservableGauge("tunnel_tunnels_active", () => active, description: "Tunnels currently connected to this edge.");
        var responses = m.Meter.CreateCounter<long>("tunnel_edge_responses_total", description: "Public responses by status code.");
        var duration = m.Meter.CreateHistogram<double>("tunnel_edge_request_duration_seconds", unit: "s", description: "Time to respond.");
        responses.Add(1, Tag("code", "204"));
        responses.Add(1, Tag("code", "502"));
        duration.Record(0.01);
        duration.Record(0.2);

        var text = m.Exporter.Render();

        Exposition.Parse(text);
        Assert.Contains("tunnel_tunnels_active 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_responses_total{code=\"204\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_responses_total{code=\"502\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tunnel_edge_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("tunnel_edge_request_duration_seconds_count 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_NameEndingInTotal_IsUsedAsItIs()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateCounter<long>("tunnel_edge_requests_total").Add(1);

        var families = m.Scrape();

        Assert.Equal("counter", Assert.Single(families).Value.Type);
        Assert.Equal(1, families["tunnel_edge_requests_total"].Value());
    }

    [Fact]
    public void Counter_WithTags_KeepsOneSeriesPerTagSetWhateverTheTagOrder()
    {
        using var m = new ScrapedMeter();
        var counter = m.Meter.CreateCounter<long>("responses_total");
        counter.Add(1, Tag("code", "200"), Tag("method", "GET"));
        counter.Add(1, Tag("method", "GET"), Tag("code", "200"));
        counter.Add(1, Tag("code", "502"), Tag("method", "GET"));
        counter.Add(4);

        var family = m.Scrape()["responses_total"];

        Assert.Equal(3, family.Samples.Count);
        Assert.Equal(2, family.Value(("code", "200"), ("method", "GET")));
        Assert.Equal(1, family.Value(("code", "502"), ("method", "GET")));
        Assert.Equal(4, family.Value());
        Assert.Contains("responses_total{code=\"200\",method=\"GET\"} 2\n", m.Exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_OfDouble_SumsFractionsAndIgnoresNegativeAndNonFiniteValues()
    {
        using var m = new ScrapedMeter();
        var counter = m.Meter.CreateCounter<double>("work_done");
        counter.Add(0.25);
        counter.Add(1.5);
        counter.Add(-10);
        counter.Add(double.NaN);
        counter.Add(double.PositiveInfinity);

        Assert.Equal(1.75, m.Scrape()["work_done_total"].Value());
    }

    [Fact]
    public void Counter_OfLong_IgnoresNegativeValues()
    {
        using var m = new ScrapedMeter();
        var counter = m.Meter.CreateCounter<long>("jobs");
        counter.Add(3);
        counter.Add(-1);

        Assert.Equal(3, m.Scrape()["jobs_total"].Value());
    }

    [Fact]
    public void UpDownCounter_IsAGaugeThatCanGoBelowZero()
    {
        using var m = new ScrapedMeter();
        var inFlight = m.Meter.CreateUpDownCounter<int>("in_flight", description: "Requests in flight.");
        inFlight.Add(2, Tag("tunnel", "a"));
        inFlight.Add(-1, Tag("tunnel", "a"));
        inFlight.Add(-3, Tag("tunnel", "b"));

        var family = m.Scrape()["in_flight"];

        Assert.Equal("gauge", family.Type);
        Assert.Equal("Requests in flight.", family.Help);
        Assert.Equal(1, family.Value(("tunnel", "a")));
        Assert.Equal(-3, family.Value(("tunnel", "b")));
    }

    [Fact]
    public void Gauge_KeepsTheLastValueRecorded()
    {
        using var m = new ScrapedMeter();
        var gauge = m.Meter.CreateGauge<double>("temperature");
        gauge.Record(21.5);
        gauge.Record(19.25);

        var family = m.Scrape()["temperature"];

        Assert.Equal("gauge", family.Type);
        Assert.Equal(19.25, family.Value());
    }

    [Fact]
    public void ObservableInstruments_AreObservedAtEachScrape()
    {
        using var m = new ScrapedMeter();
        var active = 3;
        long bytes = 100;
        m.Meter.CreateObservableGauge("tunnels_active", () => active, description: "Tunnels connected.");
        m.Meter.CreateObservableCounter("bytes_sent", () => new Measurement<long>(bytes, Tag("direction", "out")), unit: "By");
        m.Meter.CreateObservableUpDownCounter("queue_depth", () => new[] { new Measurement<int>(-2, Tag("queue", "a")), new Measurement<int>(5, Tag("queue", "b")) });

        var first = m.Scrape();
        active = 1;
        bytes = 250;
        var second = m.Scrape();

        Assert.Equal("gauge", first["tunnels_active"].Type);
        Assert.Equal(3, first["tunnels_active"].Value());
        Assert.Equal(1, second["tunnels_active"].Value());
        Assert.Equal("counter", first["bytes_sent_bytes_total"].Type);
        Assert.Equal(100, first["bytes_sent_bytes_total"].Value(("direction", "out")));
        Assert.Equal(250, second["bytes_sent_bytes_total"].Value(("direction", "out")));
        Assert.Equal("gauge", second["queue_depth"].Type);
        Assert.Equal(-2, second["queue_depth"].Value(("queue", "a")));
        Assert.Equal(5, second["queue_depth"].Value(("queue", "b")));
    }

    [Fact]
    public void ObservableGauge_TagSetNoLongerReported_DisappearsFromTheNextScrape()
    {
        using var m = new ScrapedMeter();
        var tunnels = new List<string> { "a", "b" };
        m.Meter.CreateObservableGauge("tunnel_up", () => tunnels.Select(t => new Measurement<int>(1, Tag("tunnel", t))));

        Assert.Equal(2, m.Scrape()["tunnel_up"].Samples.Count);
        tunnels.Remove("a");

        var sample = Assert.Single(m.Scrape()["tunnel_up"].Samples);
        Assert.Equal("b", sample.Labels["tunnel"]);
    }

    [Fact]
    public void ObservableCallbackThatThrows_DoesNotFailTheScrape()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateObservableGauge<int>("broken", (Func<int>)(() => throw new InvalidOperationException("boom")));
        m.Meter.CreateObservableGauge("fine", () => 7);
        m.Meter.CreateCounter<long>("plain").Add(1);

        var families = m.Scrape();

        Assert.Equal(7, families["fine"].Value());
        Assert.Equal(1, families["plain_total"].Value());
        Assert.False(families.ContainsKey("broken"));
    }

    [Fact]
    public void TwoMeters_AreBothExported()
    {
        var edge = ScrapedMeter.UniqueName();
        var agent = ScrapedMeter.UniqueName();
        using var edgeMeter = new Meter(edge);
        using var agentMeter = new Meter(agent);
        using var exporter = new PrometheusExporter([edge, agent]);
        edgeMeter.CreateCounter<long>("edge_requests").Add(2);
        agentMeter.CreateCounter<long>("agent_streams").Add(3);

        var families = Exposition.Parse(exporter.Render());

        Assert.Equal(2, families["edge_requests_total"].Value());
        Assert.Equal(3, families["agent_streams_total"].Value());
    }

    [Fact]
    public void OnlyTheConfiguredMeters_AreExported()
    {
        var wanted = ScrapedMeter.UniqueName();
        using var wantedMeter = new Meter(wanted);
        using var otherMeter = new Meter(ScrapedMeter.UniqueName());
        using var prefixedMeter = new Meter(wanted + ".Sub");
        using var exporter = new PrometheusExporter([wanted]);
        wantedMeter.CreateCounter<long>("mine").Add(1);
        otherMeter.CreateCounter<long>("theirs").Add(1);
        prefixedMeter.CreateCounter<long>("nested").Add(1);

        var families = Exposition.Parse(exporter.Render());

        Assert.Equal(["mine_total"], families.Keys);
    }

    [Fact]
    public void MeterNameEndingInStar_MatchesByPrefix()
    {
        var root = ScrapedMeter.UniqueName();
        using var a = new Meter(root + ".Edge");
        using var b = new Meter(root + ".Agent");
        using var other = new Meter(ScrapedMeter.UniqueName());
        using var exporter = new PrometheusExporter([root + ".*"]);
        a.CreateCounter<long>("a").Add(1);
        b.CreateCounter<long>("b").Add(1);
        other.CreateCounter<long>("c").Add(1);

        Assert.Equal(["a_total", "b_total"], Exposition.Parse(exporter.Render()).Keys.Order());
    }

    [Fact]
    public void InstrumentsCreatedBeforeTheExporter_AreExportedToo()
    {
        var name = ScrapedMeter.UniqueName();
        using var meter = new Meter(name);
        var counter = meter.CreateCounter<long>("early");
        using var exporter = new PrometheusExporter([name]);
        counter.Add(4);

        Assert.Equal(4, Exposition.Parse(exporter.Render())["early_total"].Value());
    }

    [Fact]
    public void InstrumentWithoutMeasurements_IsNotRendered()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateCounter<long>("never");
        m.Meter.CreateHistogram<double>("never_either", unit: "s");

        Assert.Equal(string.Empty, m.Exporter.Render());
    }

    [Fact]
    public void DisposedMeter_StopsBeingExported()
    {
        using var m = new ScrapedMeter();
        using var second = new Meter(m.Name);
        m.Meter.CreateCounter<long>("stays").Add(1);
        second.CreateCounter<long>("goes").Add(1);
        Assert.Equal(2, m.Scrape().Count);

        second.Dispose();

        Assert.Equal(["stays_total"], m.Scrape().Keys);
    }

    [Fact]
    public void SameInstrumentNameOnTwoMetersOfOneName_IsMergedIntoOneFamily()
    {
        using var m = new ScrapedMeter();
        using var second = new Meter(m.Name);
        m.Meter.CreateCounter<long>("shared", description: "first").Add(2, Tag("k", "v"));
        second.CreateCounter<long>("shared", description: "second").Add(3, Tag("k", "v"));
        second.CreateCounter<long>("shared").Add(1, Tag("k", "w"));

        var family = m.Scrape()["shared_total"];

        Assert.Equal("first", family.Help);
        Assert.Equal(5, family.Value(("k", "v")));
        Assert.Equal(1, family.Value(("k", "w")));
    }

    [Fact]
    public void SameNameWithADifferentType_KeepsTheFirstInstrumentOnly()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateUpDownCounter<long>("depth").Add(2);
        m.Meter.CreateGauge<long>("depth").Record(9);
        m.Meter.CreateHistogram<double>("depth").Record(1);

        var family = m.Scrape()["depth"];

        Assert.Equal("gauge", family.Type);
        Assert.Equal(11, family.Value());
        Assert.DoesNotContain("depth_bucket", m.Exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void TagValuesOfDifferentTypesThatRenderAlike_AreOneSeries()
    {
        using var m = new ScrapedMeter();
        var counter = m.Meter.CreateCounter<long>("codes");
        counter.Add(1, Tag("code", 200));
        counter.Add(1, Tag("code", 200L));
        counter.Add(1, Tag("code", "200"));
        counter.Add(1, Tag("ok", true));
        counter.Add(1, Tag("ratio", 0.5));
        counter.Add(1, Tag("none", null));

        var family = m.Scrape()["codes_total"];

        Assert.Equal(3, family.Value(("code", "200")));
        Assert.Equal(1, family.Value(("ok", "true")));
        Assert.Equal(1, family.Value(("ratio", "0.5")));
        Assert.Equal(1, family.Value(("none", "")));
    }

    [Fact]
    public void SpecialGaugeValues_UseTheFormatsSpellings()
    {
        using var m = new ScrapedMeter();
        var gauge = m.Meter.CreateGauge<double>("odd");
        gauge.Record(double.NaN, Tag("v", "nan"));
        gauge.Record(double.PositiveInfinity, Tag("v", "inf"));
        gauge.Record(double.NegativeInfinity, Tag("v", "-inf"));
        gauge.Record(1e21, Tag("v", "big"));

        var text = m.Exporter.Render();
        var family = Exposition.Parse(text)["odd"];

        Assert.Contains("odd{v=\"nan\"} NaN\n", text, StringComparison.Ordinal);
        Assert.Contains("odd{v=\"inf\"} +Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("odd{v=\"-inf\"} -Inf\n", text, StringComparison.Ordinal);
        Assert.Equal(1e21, family.Value(("v", "big")));
    }

    [Fact]
    public void SeriesBeyondTheLimit_FoldIntoOneOverflowSeries()
    {
        using var m = new ScrapedMeter(maxSeriesPerInstrument: 2);
        var counter = m.Meter.CreateCounter<long>("per_user");
        foreach (var user in new[] { "a", "b", "c", "d", "e" })
        {
            counter.Add(1, Tag("user", user));
        }

        counter.Add(1, Tag("user", "a"));

        var family = m.Scrape()["per_user_total"];

        Assert.Equal(3, family.Samples.Count);
        Assert.Equal(2, family.Value(("user", "a")));
        Assert.Equal(1, family.Value(("user", "b")));
        Assert.Equal(3, family.Value(("otel_metric_overflow", "true")));
    }

    [Fact]
    public async Task WriteAsync_WritesTheRenderedTextAsUtf8()
    {
        using var m = new ScrapedMeter();
        m.Meter.CreateCounter<long>("greetings", description: "Grüße ✓").Add(1, Tag("lang", "日本語"));
        using var body = new MemoryStream();

        await m.Exporter.WriteAsync(body, TestContext.Current.CancellationToken);

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(m.Exporter.Render(), text);
        Assert.Equal("Grüße ✓", Exposition.Parse(text)["greetings_total"].Help);
        Assert.Equal(1, Exposition.Parse(text)["greetings_total"].Value(("lang", "日本語")));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusExporter.ContentType);
    }

    [Fact]
    public void Dispose_StopsListeningAndRefusesFurtherScrapes()
    {
        var m = new ScrapedMeter();
        var counter = m.Meter.CreateCounter<long>("after");
        m.Exporter.Dispose();
        m.Exporter.Dispose();

        counter.Add(1, NoTags);

        Assert.Throws<ObjectDisposedException>(() => m.Exporter.Render());
        Assert.False(counter.Enabled);
        m.Dispose();
    }
}
