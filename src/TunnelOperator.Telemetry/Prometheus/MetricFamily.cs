using System.Text;

namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// One metric name in one scrape: its TYPE, HELP and samples, merged over every instrument
/// that maps to the name (the same meter name can be created more than once in a process,
/// and distinct tag values can render to the same labels). Merging keeps the output free of
/// duplicate series, which Prometheus would reject.
/// </summary>
internal sealed class MetricFamily(string name, MetricKind kind, string? help, double[]? bounds)
{
    private readonly SortedDictionary<string, SampleValue> _values = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, HistogramSnapshot> _histograms = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public static MetricFamily For(InstrumentState state) =>
        new(state.MetricName, state.Kind, state.Instrument.Description, (state as HistogramInstrumentState)?.Bounds);

    /// <summary>An instrument joins only a family of its own kind (and, for histograms, its own buckets).</summary>
    public bool Accepts(InstrumentState state) =>
        state.Kind == kind
        && (state is not HistogramInstrumentState histogram || histogram.Bounds.AsSpan().SequenceEqual(bounds));

    public void AddValue(string labels, SampleValue value) =>
        _values[labels] = _values.TryGetValue(labels, out var existing) ? existing.Plus(value) : value;

    public void AddHistogram(string labels, HistogramSnapshot snapshot)
    {
        if (_histograms.TryGetValue(labels, out var existing))
        {
            existing.Add(snapshot);
        }
        else
        {
            _histograms[labels] = snapshot;
        }
    }

    public bool IsEmpty => _values.Count == 0 && _histograms.Count == 0;

    public void WriteTo(StringBuilder text)
    {
        if (!string.IsNullOrEmpty(help))
        {
            text.Append("# HELP ").Append(Name).Append(' ');
            PrometheusText.AppendEscapedHelp(text, help);
            text.Append('\n');
        }

        text.Append("# TYPE ").Append(Name).Append(' ').Append(kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Gauge => "gauge",
            _ => "histogram",
        }).Append('\n');

        foreach (var (labels, value) in _values)
        {
            AppendSeriesName(text, Name, labels);
            text.Append(' ');
            value.AppendTo(text);
            text.Append('\n');
        }

        foreach (var (labels, histogram) in _histograms)
        {
            WriteHistogram(text, labels, histogram);
        }
    }

    private void WriteHistogram(StringBuilder text, string labels, HistogramSnapshot histogram)
    {
        var prefix = labels.Length == 0 ? string.Empty : labels + ",";
        long cumulative = 0;
        for (var i = 0; i < histogram.Counts.Length; i++)
        {
            cumulative += histogram.Counts[i];
            text.Append(Name).Append("_bucket{").Append(prefix).Append("le=\"");
            if (i < bounds!.Length)
            {
                PrometheusText.AppendDouble(text, bounds[i]);
            }
            else
            {
                text.Append("+Inf");
            }

            text.Append("\"} ").Append(cumulative.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        AppendSeriesName(text, Name + "_sum", labels);
        text.Append(' ');
        PrometheusText.AppendDouble(text, histogram.Sum);
        text.Append('\n');
        AppendSeriesName(text, Name + "_count", labels);
        text.Append(' ').Append(cumulative.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void AppendSeriesName(StringBuilder text, string name, string labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }
    }
}
