using System.Diagnostics.Metrics;

namespace TunnelOperator.Telemetry.Prometheus;

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
