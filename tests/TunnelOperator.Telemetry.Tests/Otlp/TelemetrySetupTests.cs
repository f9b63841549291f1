using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using TunnelOperator.Telemetry.Tests.Support;

namespace TunnelOperator.Telemetry.Tests.Otlp;

public sealed class TelemetrySetupTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static Func<string, string?> Environment(string? endpoint = null) =>
        name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? endpoint : null;

    private static TelemetryOptions Options(string name, Uri? endpoint, OtlpProtocol protocol = OtlpProtocol.Auto) => new()
    {
        ServiceName = "telemetry-test-" + name,
        ServiceVersion = "1.2.3",
        OtlpEndpoint = endpoint,
        ActivitySources = [name],
        Meters = [name],
        Protocol = protocol,
        // Far beyond the test: the only export is the flush on dispose.
        MetricExportInterval = TimeSpan.FromMinutes(10),
    };

    /// <summary>One span and one counter point on <paramref name="name"/>, then the handle's disposal.</summary>
    private static void EmitAndDispose(IDisposable handle, string name)
    {
        using (var source = new ActivitySource(name))
        using (var meter = new Meter(name))
        {
            using (var activity = source.StartActivity("test-span-" + name))
            {
                Assert.NotNull(activity); // the tracer provider is listening
            }

            meter.CreateCounter<long>("test_counter_" + name).Add(1);
            handle.Dispose();
        }
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    [Fact]
    public async Task HttpProtobuf_ExportsSpansAndMetricsToTheirPathsOnDispose()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var name = ScrapedMeter.UniqueName();

        var handle = TelemetrySetup.EnableOtlp(Options(name, receiver.BaseUrl), Environment());
        Assert.NotNull(handle);
        EmitAndDispose(handle, name);

        var traces = await receiver.FirstAsync("/v1/traces").WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        var metrics = await receiver.FirstAsync("/v1/metrics").WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        Assert.Equal("application/x-protobuf", traces.ContentType);
        Assert.Equal("application/x-protobuf", metrics.ContentType);
        Assert.NotEmpty(traces.Body);
        Assert.NotEmpty(metrics.Body);
        // Protobuf carries strings verbatim: the resource, the span and the instrument are in there.
        Assert.True(Contains(traces.Body, "telemetry-test-" + name), "service.name missing from the trace export");
        Assert.True(Contains(traces.Body, "1.2.3"), "service.version missing from the trace export");
        Assert.True(Contains(traces.Body, "test-span-" + name), "span name missing from the trace export");
        Assert.True(Contains(metrics.Body, "telemetry-test-" + name), "service.name missing from the metric export");
        Assert.True(Contains(metrics.Body, "test_counter_" + name), "instrument name missing from the metric export");
    }

    [Fact]
    public async Task EndpointFromTheEnvironment_IsABaseTheSignalPathsGoUnder()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var name = ScrapedMeter.UniqueName();

        var handle = TelemetrySetup.EnableOtlp(Options(name, endpoint: null), Environment(new Uri(receiver.BaseUrl, "/collector/").ToString()));
        Assert.NotNull(handle);
        EmitAndDispose(handle, name);

        var traces = await receiver.FirstAsync("/collector/v1/traces").WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        var metrics = await receiver.FirstAsync("/collector/v1/metrics").WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        Assert.NotEmpty(traces.Body);
        Assert.NotEmpty(metrics.Body);
    }

    [Fact]
    public async Task Grpc_ExportsToTheCollectorServices()
    {
        await using var receiver = await OtlpReceiver.StartAsync(grpc: true);
        var name = ScrapedMeter.UniqueName();

        var handle = TelemetrySetup.EnableOtlp(Options(name, receiver.BaseUrl, OtlpProtocol.Grpc), Environment());
        Assert.NotNull(handle);
        EmitAndDispose(handle, name);

        var traces = await receiver.FirstAsync("/opentelemetry.proto.collector.trace.v1.TraceService/Export").WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        var metrics = await receiver.FirstAsync("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export").WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        Assert.Equal("application/grpc", traces.ContentType);
        Assert.True(Contains(traces.Body, "test-span-" + name));
        Assert.True(Contains(metrics.Body, "test_counter_" + name));
    }

    [Fact]
    public void NoEndpoint_ReturnsNull()
    {
        var name = ScrapedMeter.UniqueName();

        Assert.Null(TelemetrySetup.EnableOtlp(Options(name, endpoint: null), Environment()));
    }

    [Fact]
    public void DisposingTwice_IsHarmless()
    {
        var name = ScrapedMeter.UniqueName();
        // Nothing listens on the discard port; nothing is emitted, so nothing is sent.
        var handle = TelemetrySetup.EnableOtlp(Options(name, new Uri("http://127.0.0.1:9")), Environment());

        Assert.NotNull(handle);
        handle.Dispose();
        handle.Dispose();
    }

    [Fact]
    public void AnIntervalThatIsNotPositive_IsRefused()
    {
        var options = Options(ScrapedMeter.UniqueName(), new Uri("http://127.0.0.1:9")) with { MetricExportInterval = TimeSpan.Zero };

        Assert.Throws<ArgumentOutOfRangeException>(() => TelemetrySetup.EnableOtlp(options, Environment()));
    }
}
