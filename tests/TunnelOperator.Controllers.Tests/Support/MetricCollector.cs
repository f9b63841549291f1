using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TunnelOperator.Controllers.Tests.Support;

/// <summary>Collects every measurement of one meter instance, for assertions on what was recorded.</summary>
public sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricCollector(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public double Sum(string name) => _measurements.Where(m => m.Name == name).Sum(m => m.Value);

    public int Count(string name) => _measurements.Count(m => m.Name == name);

    public IReadOnlyList<Dictionary<string, object?>> Tags(string name) => [.. _measurements.Where(m => m.Name == name).Select(m => m.Tags)];

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
