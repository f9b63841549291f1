using System.Diagnostics.Metrics;

namespace TunnelOperator.Edge.Hosting;

/// <summary>
/// The meter factory of one edge's public server. Every meter it makes has the factory as
/// its scope, so the edge's exporter can pick this server's Kestrel meter out of a process
/// that runs several servers (tests, or an edge beside the operator). Disposed with the
/// server's service provider, it disposes its meters.
/// </summary>
internal sealed class ScopedMeterFactory : IMeterFactory
{
    private readonly Lock _gate = new();
    private readonly List<Meter> _meters = [];
    private bool _disposed;

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Scope = this;
        var meter = new Meter(options);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        Meter[] meters;
        lock (_gate)
        {
            _disposed = true;
            meters = [.. _meters];
            _meters.Clear();
        }

        foreach (var meter in meters)
        {
            meter.Dispose();
        }
    }
}
