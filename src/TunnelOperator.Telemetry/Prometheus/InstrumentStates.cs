using System.Diagnostics.Metrics;
using System.Globalization;

namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>Maps an instrument to its Prometheus type, name and aggregation.</summary>
internal static class InstrumentStates
{
    /// <summary>Prometheus client libraries' default buckets, in seconds.</summary>
    public static readonly double[] DefaultSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The OpenTelemetry SDK's default explicit bucket boundaries, for histograms in other units.</summary>
    public static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>Null for instrument types this exporter does not know.</summary>
    public static InstrumentState? Create(Instrument instrument, long order, int seriesLimit)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Histogram<>))
        {
            return new HistogramInstrumentState(instrument, MetricName(instrument, MetricKind.Histogram), order, Buckets(instrument), seriesLimit);
        }

        (MetricKind Kind, ValueAggregation Aggregation)? shape =
            definition == typeof(Counter<>) ? (MetricKind.Counter, ValueAggregation.MonotonicSum)
            : definition == typeof(UpDownCounter<>) ? (MetricKind.Gauge, ValueAggregation.Sum)
            : definition == typeof(Gauge<>) ? (MetricKind.Gauge, ValueAggregation.LastValue)
            : definition == typeof(ObservableCounter<>) ? (MetricKind.Counter, ValueAggregation.LastValue)
            : definition == typeof(ObservableUpDownCounter<>) ? (MetricKind.Gauge, ValueAggregation.LastValue)
            : definition == typeof(ObservableGauge<>) ? (MetricKind.Gauge, ValueAggregation.LastValue)
            : null;

        return shape is { } s
            ? new ValueInstrumentState(instrument, MetricName(instrument, s.Kind), s.Kind, order, s.Aggregation, seriesLimit)
            : null;
    }

    /// <summary>
    /// The instrument name, sanitised; a unit suffix (<c>_seconds</c> for "s", <c>_milliseconds</c>
    /// for "ms", <c>_bytes</c> for "By") unless already present; and <c>_total</c> for counters.
    /// A counter whose name already ends in <c>_total</c> is used as it is.
    /// </summary>
    public static string MetricName(Instrument instrument, MetricKind kind)
    {
        var name = PrometheusText.SanitizeMetricName(instrument.Name);
        if (kind == MetricKind.Counter && name.EndsWith("_total", StringComparison.Ordinal))
        {
            return name;
        }

        var unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => null,
        };
        if (unit is not null && !name.EndsWith(unit, StringComparison.Ordinal))
        {
            name += unit;
        }

        return kind == MetricKind.Counter ? name + "_total" : name;
    }

    /// <summary>
    /// Bucket bounds from the instrument's advice when it gives one (the advice API already
    /// insists on ascending, distinct values); else the defaults for its unit. Infinite and NaN
    /// bounds are dropped: the <c>+Inf</c> bucket is always rendered anyway.
    /// </summary>
    public static double[] Buckets(Instrument instrument)
    {
        var advised = instrument switch
        {
            Instrument<double> i => Convert(i.Advice?.HistogramBucketBoundaries),
            Instrument<float> i => Convert(i.Advice?.HistogramBucketBoundaries),
            Instrument<long> i => Convert(i.Advice?.HistogramBucketBoundaries),
            Instrument<int> i => Convert(i.Advice?.HistogramBucketBoundaries),
            Instrument<short> i => Convert(i.Advice?.HistogramBucketBoundaries),
            Instrument<byte> i => Convert(i.Advice?.HistogramBucketBoundaries),
            Instrument<decimal> i => Convert(i.Advice?.HistogramBucketBoundaries),
            _ => null,
        };

        return advised ?? (instrument.Unit == "s" ? DefaultSecondsBuckets : DefaultBuckets);
    }

    private static double[]? Convert<T>(IReadOnlyList<T>? bounds)
        where T : struct
    {
        if (bounds is null)
        {
            return null;
        }

        var result = new List<double>(bounds.Count);
        foreach (var bound in bounds)
        {
            var value = System.Convert.ToDouble(bound, CultureInfo.InvariantCulture);
            if (double.IsFinite(value))
            {
                result.Add(value);
            }
        }

        // Sorted again in case a custom numeric conversion disturbed the order; duplicates dropped.
        result.Sort();
        return [.. result.Distinct()];
    }
}
