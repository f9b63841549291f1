using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TunnelOperator.Telemetry.Otlp;

namespace TunnelOperator.Telemetry;

/// <summary>Wires the suite's activity sources and meters to an OTLP collector.</summary>
public static class TelemetrySetup
{
    /// <summary>
    /// Starts exporting spans and metrics over OTLP when an endpoint is configured
    /// (<see cref="TelemetryOptions.OtlpEndpoint"/>, else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
    /// Returns null when none is; otherwise a handle whose disposal flushes and stops export.
    /// </summary>
    public static IDisposable? EnableOtlp(TelemetryOptions options) => EnableOtlp(options, Environment.GetEnvironmentVariable);

    internal static IDisposable? EnableOtlp(TelemetryOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ServiceName);
        if (options.MetricExportInterval <= TimeSpan.Zero || options.MetricExportInterval.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MetricExportInterval, "MetricExportInterval must be positive and under 24 days.");
        }

        var plan = OtlpPlan.Resolve(options, environment);
        if (plan is null)
        {
            return null;
        }

        TracerProvider? tracer = null;
        MeterProvider? meter = null;
        try
        {
            if (options.ActivitySources.Length > 0)
            {
                tracer = Sdk.CreateTracerProviderBuilder()
                    .SetResourceBuilder(Resource(options))
                    .AddSource(options.ActivitySources)
                    .AddOtlpExporter(exporter =>
                    {
                        exporter.Endpoint = plan.TracesEndpoint;
                        exporter.Protocol = plan.Protocol;
                    })
                    .Build();
            }

            if (options.Meters.Length > 0)
            {
                var intervalMs = (int)options.MetricExportInterval.TotalMilliseconds;
                meter = Sdk.CreateMeterProviderBuilder()
                    .SetResourceBuilder(Resource(options))
                    .AddMeter(options.Meters)
                    .AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = plan.MetricsEndpoint;
                        exporter.Protocol = plan.Protocol;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = intervalMs;
                    })
                    .Build();
            }
        }
        catch
        {
            tracer?.Dispose();
            meter?.Dispose();
            throw;
        }

        return new OtlpExportHandle(tracer, meter);
    }

    private static ResourceBuilder Resource(TelemetryOptions options) =>
        ResourceBuilder.CreateDefault().AddService(options.ServiceName, serviceVersion: options.ServiceVersion);
}
