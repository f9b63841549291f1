using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using TunnelOperator.Telemetry.Prometheus;

namespace TunnelOperator.Telemetry;

/// <summary>
/// Serves <see cref="System.Diagnostics.Metrics"/> instruments in the Prometheus text format
/// 0.0.4. A <see cref="MeterListener"/> subscribes to every instrument of the named meters,
/// including ones created later, and aggregates measurements in memory as they happen:
/// <list type="bullet">
/// <item><c>Counter</c>, <c>ObservableCounter</c> → <c>counter</c>, named <c>…_total</c>;</item>
/// <item><c>UpDownCounter</c>, <c>Gauge</c>, <c>ObservableGauge</c>, <c>ObservableUpDownCounter</c> → <c>gauge</c>;</item>
/// <item><c>Histogram</c> → <c>histogram</c> with cumulative <c>_bucket</c>, <c>_sum</c>, <c>_count</c>.</item>
/// </list>
/// Each distinct tag set is a series, with tags as labels. Observable instruments are
/// observed at scrape time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Series kept per instrument before new tag sets fold into an overflow series.</summary>
    public const int DefaultMaxSeriesPerInstrument = 2000;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Func<Meter, bool> _selectMeter;
    private readonly int _maxSeriesPerInstrument;
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly MeterListener _listener;
    private readonly Lock _scrape = new();
    private long _published;
    private bool _disposed;

    /// <param name="meterNames">Meter names to export; a name ending in <c>*</c> matches by prefix (<c>TunnelOperator.*</c>).</param>
    /// <param name="maxSeriesPerInstrument">Cardinality bound per instrument.</param>
    public PrometheusExporter(IEnumerable<string> meterNames, int maxSeriesPerInstrument = DefaultMaxSeriesPerInstrument)
        : this(Names(meterNames), maxSeriesPerInstrument)
    {
    }

    /// <param name="selectMeter">
    /// Chooses the meters to export by instance. Several servers in one process (tests, or an
    /// edge beside the operator) each own a meter of the same name; selecting the instance
    /// keeps their series apart.
    /// </param>
    /// <param name="maxSeriesPerInstrument">Cardinality bound per instrument.</param>
    public PrometheusExporter(Func<Meter, bool> selectMeter, int maxSeriesPerInstrument = DefaultMaxSeriesPerInstrument)
    {
        ArgumentNullException.ThrowIfNull(selectMeter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSeriesPerInstrument);
        _selectMeter = selectMeter;
        _maxSeriesPerInstrument = maxSeriesPerInstrument;

        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, state) => _instruments.TryRemove(instrument, out _),
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentState)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Observes the observable instruments and renders every exported series.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        lock (_scrape)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var states = _instruments.Values.OrderBy(s => s.Order).ToArray();
            Observe(states);

            var families = new SortedDictionary<string, MetricFamily>(StringComparer.Ordinal);
            foreach (var state in states)
            {
                if (!families.TryGetValue(state.MetricName, out var family))
                {
                    families[state.MetricName] = family = MetricFamily.For(state);
                }
                else if (!family.Accepts(state))
                {
                    continue; // same name, different type or buckets: the first instrument keeps the name
                }

                state.CollectInto(family);
            }

            foreach (var family in families.Values)
            {
                if (!family.IsEmpty)
                {
                    family.WriteTo(text);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Renders into <paramref name="destination"/> as UTF-8.</summary>
    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var bytes = Utf8.GetBytes(Render());
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_scrape)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _listener.Dispose();
        _instruments.Clear();
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_selectMeter(instrument.Meter))
        {
            return;
        }

        var state = InstrumentStates.Create(instrument, Interlocked.Increment(ref _published), _maxSeriesPerInstrument);
        if (state is not null)
        {
            _instruments[instrument] = state;
            listener.EnableMeasurementEvents(instrument, state);
        }
    }

    // Exact names, or prefixes written with a trailing '*'.
    private static Func<Meter, bool> Names(IEnumerable<string> meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        var names = meterNames.ToArray();
        string[] exact = [.. names.Where(n => !n.EndsWith('*'))];
        string[] prefixes = [.. names.Where(n => n.EndsWith('*')).Select(n => n[..^1])];
        return meter => exact.Contains(meter.Name, StringComparer.Ordinal)
            || prefixes.Any(prefix => meter.Name.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Observable instruments report their current values: forget the previous scrape's series
    /// (a tag set no longer reported disappears) and ask every callback again. A callback that
    /// throws loses only its own series; the listener still observes the others first.
    /// </summary>
    private void Observe(InstrumentState[] states)
    {
        foreach (var state in states)
        {
            if (state.IsObservable)
            {
                state.Clear();
            }
        }

        try
        {
            _listener.RecordObservableInstruments();
        }
        catch (AggregateException)
        {
            // Observation errors belong to the instrument's owner; the scrape goes on.
        }
    }
}
