using System.Diagnostics.Metrics;

namespace TunnelOperator.Telemetry.Prometheus;

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
