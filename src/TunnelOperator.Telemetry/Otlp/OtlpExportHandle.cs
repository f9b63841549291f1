using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TunnelOperator.Telemetry.Otlp;

/// <summary>
/// Owns the two SDK providers. Disposing pushes what is buffered (spans in the batch
/// processor, the current metric points) and then shuts both down.
/// </summary>
internal sealed class OtlpExportHandle(TracerProvider? tracer, MeterProvider? meter) : IDisposable
{
    private static readonly int FlushTimeoutMilliseconds = (int)TimeSpan.FromSeconds(5).TotalMilliseconds;
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        tracer?.ForceFlush(FlushTimeoutMilliseconds);
        meter?.ForceFlush(FlushTimeoutMilliseconds);
        tracer?.Dispose();
        meter?.Dispose();
    }
}
