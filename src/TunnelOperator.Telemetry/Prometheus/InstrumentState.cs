using System.Diagnostics.Metrics;

namespace TunnelOperator.Telemetry.Prometheus;

internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

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

internal enum ValueAggregation
{
    /// <summary>Counter: values are added; negative and non-finite ones are dropped.</summary>
    MonotonicSum,

    /// <summary>UpDownCounter: values are added.</summary>
    Sum,

    /// <summary>Gauges and observable instruments (which report totals): the last value wins.</summary>
    LastValue,
}

internal sealed class ValueInstrumentState(Instrument instrument, string metricName, MetricKind kind, long order, ValueAggregation aggregation, int seriesLimit)
    : InstrumentState(instrument, metricName, kind, order)
{
    private readonly SeriesMap<ValueSeries> _series = new(static () => new ValueSeries(), seriesLimit);

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (aggregation)
        {
            case ValueAggregation.MonotonicSum when value < 0:
                return;
            case ValueAggregation.LastValue:
                _series.Get(tags).Set(value);
                return;
            default:
                _series.Get(tags).Add(value);
                return;
        }
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (aggregation)
        {
            case ValueAggregation.MonotonicSum when !(value >= 0 && double.IsFinite(value)):
            case ValueAggregation.Sum when !double.IsFinite(value):
                return;
            case ValueAggregation.LastValue:
                _series.Get(tags).Set(value);
                return;
            default:
                _series.Get(tags).Add(value);
                return;
        }
    }

    public override void Clear() => _series.Clear();

    public override void CollectInto(MetricFamily family)
    {
        foreach (var (tags, series) in _series.Snapshot())
        {
            family.AddValue(tags.Labels(reserveLe: false), series.Read());
        }
    }
}

internal sealed class HistogramInstrumentState(Instrument instrument, string metricName, long order, double[] bounds, int seriesLimit)
    : InstrumentState(instrument, metricName, MetricKind.Histogram, order)
{
    private readonly SeriesMap<HistogramSeries> _series = new(() => new HistogramSeries(bounds), seriesLimit);

    public double[] Bounds { get; } = bounds;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Record(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Record(value);

    public override void Clear() => _series.Clear();

    public override void CollectInto(MetricFamily family)
    {
        foreach (var (tags, series) in _series.Snapshot())
        {
            family.AddHistogram(tags.Labels(reserveLe: true), series.Read());
        }
    }
}
