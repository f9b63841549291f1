using System.Collections.Concurrent;

namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// The series of one instrument, keyed by tag set. Lookups of a known tag set are lock-free
/// and allocation-free; a new tag set allocates its key and series once. Past the series
/// limit, new tag sets are folded into one overflow series instead of growing without bound.
/// </summary>
internal sealed class SeriesMap<TSeries>
    where TSeries : class
{
    private readonly ConcurrentDictionary<TagSet, TSeries> _series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, TSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly Func<TSeries> _create;
    private readonly int _limit;
    private int _count;
    private TSeries? _overflow;

    public SeriesMap(Func<TSeries> create, int limit)
    {
        _create = create;
        _limit = limit;
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public TSeries Get(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _lookup.TryGetValue(tags, out var series) ? series : Add(tags);

    private TSeries Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The count is checked before adding, so racing first-time tag sets may overshoot the
        // limit by the number of racing threads; the bound still holds to within that.
        if (Volatile.Read(ref _count) >= _limit)
        {
            return Overflow();
        }

        var created = _create();
        if (_lookup.TryAdd(tags, created))
        {
            Interlocked.Increment(ref _count);
            return created;
        }

        return _lookup.TryGetValue(tags, out var existing) ? existing : Overflow();
    }

    private TSeries Overflow()
    {
        var overflow = Volatile.Read(ref _overflow);
        if (overflow is not null)
        {
            return overflow;
        }

        Interlocked.CompareExchange(ref _overflow, _create(), null);
        return _overflow!;
    }

    public IEnumerable<(TagSet Tags, TSeries Series)> Snapshot()
    {
        foreach (var (tags, series) in _series)
        {
            yield return (tags, series);
        }

        if (Volatile.Read(ref _overflow) is { } overflow)
        {
            yield return (TagSet.Overflow, overflow);
        }
    }

    /// <summary>Forgets every series; used for observable instruments before each observation.</summary>
    public void Clear()
    {
        _series.Clear();
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _overflow, null);
    }
}
