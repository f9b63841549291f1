using System.Diagnostics.Metrics;

namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// The aggregation state of one subscribed instrument; passed to the listener as the
/// measurement callback's state so the record path needs no lookup by instrument.
/// </summary>
internal abstract class InstrumentState(Instrument instrument, string metricName, MetricKind kind, long order)
{
    public Instrument Instrument { get; } = instrument;
    public string MetricName { get; } = metricName;
    public MetricKind Kind { get; } = kind;

    /// <summary>Publication order: where instruments share a metric name, the first one's HELP is used.</summary>
    public long Order { get; } = order;

    public bool IsObservable => Instrument.IsObservable;

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Drops all series; observable instruments report afresh at every scrape.</summary>
    public abstract void Clear();

    public abstract void CollectInto(MetricFamily family);
}
