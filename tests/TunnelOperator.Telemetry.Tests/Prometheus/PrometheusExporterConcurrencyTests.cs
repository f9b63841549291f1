using TunnelOperator.Telemetry.Tests.Support;

namespace TunnelOperator.Telemetry.Tests.Prometheus;

public sealed class PrometheusExporterConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 20_000;
    private static readonly string[] Codes = ["200", "404", "500", "502"];

    [Fact]
    public async Task ManyThreadsRecording_WhileScraping_LoseNoMeasurement()
    {
        using var m = new ScrapedMeter();
        var requests = m.Meter.CreateCounter<long>("requests");
        var bytes = m.Meter.CreateCounter<double>("bytes");
        var duration = m.Meter.CreateHistogram<double>("duration", unit: "s");
        var inFlight = m.Meter.CreateUpDownCounter<long>("in_flight");
        using var start = new ManualResetEventSlim();
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.Wait(hangGuard.Token);
            for (var i = 0; i < PerThread; i++)
            {
                // Each thread starts on a different code so first-time tag sets race too.
                var code = new KeyValuePair<string, object?>("code", Codes[(i + t) % Codes.Length]);
                inFlight.Add(1);
                requests.Add(1, code);
                bytes.Add(0.5, code);
                duration.Record(i % 2 == 0 ? 0.003 : 0.7, code);
                inFlight.Add(-1);
            }
        }, hangGuard.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        start.Set();
        var scrapes = 0;
        while (!workers.All(w => w.IsCompleted))
        {
            m.Scrape(); // every intermediate exposition must be well-formed too
            scrapes++;
        }

        await Task.WhenAll(workers).WaitAsync(hangGuard.Token);
        var families = m.Scrape();

        var perCode = (double)Threads * PerThread / Codes.Length;
        foreach (var code in Codes)
        {
            Assert.Equal(perCode, families["requests_total"].Value(("code", code)));
            Assert.Equal(perCode / 2, families["bytes_total"].Value(("code", code)));
            Assert.Equal(perCode, families["duration_seconds"].Value("duration_seconds_count", ("code", code)));
            Assert.Equal(perCode / 2, families["duration_seconds"].Value("duration_seconds_bucket", ("code", code), ("le", "0.005")));
            Assert.Equal(perCode, families["duration_seconds"].Value("duration_seconds_bucket", ("code", code), ("le", "1")));
        }

        Assert.Equal(0, families["in_flight"].Value());
        Assert.True(scrapes > 0);
    }

    [Fact]
    public void RecordingToAKnownSeries_DoesNotAllocate()
    {
        using var m = new ScrapedMeter();
        var requests = m.Meter.CreateCounter<long>("requests");
        var duration = m.Meter.CreateHistogram<double>("duration", unit: "s");
        var code = new KeyValuePair<string, object?>("code", "200");
        var method = new KeyValuePair<string, object?>("method", "GET");
        requests.Add(1, code, method);
        duration.Record(0.1, code, method);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            requests.Add(1, method, code);
            duration.Record(0.1, code, method);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_001, m.Scrape()["requests_total"].Value(("code", "200"), ("method", "GET")));
    }
}
