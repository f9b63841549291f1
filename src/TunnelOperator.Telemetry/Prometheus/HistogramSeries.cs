namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// Per-bucket (not cumulative) counts and a running sum. Bucket <c>i</c> holds values in
/// <c>(bounds[i-1], bounds[i]]</c>, the last bucket everything above the highest bound, which
/// matches Prometheus' "less than or equal" bucket semantics once made cumulative.
/// </summary>
internal sealed class HistogramSeries
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;

    public HistogramSeries(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    public void Record(double value)
    {
        if (double.IsNaN(value))
        {
            return; // would poison the sum forever
        }

        var index = Array.BinarySearch(_bounds, value);
        Interlocked.Increment(ref _counts[index >= 0 ? index : ~index]);

        var current = Volatile.Read(ref _sum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _sum, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    public HistogramSnapshot Read()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }

        return new HistogramSnapshot(counts, Volatile.Read(ref _sum));
    }
}

/// <summary>
/// A histogram read at scrape time. The count is the sum of the buckets, so the rendered
/// <c>+Inf</c> bucket and <c>_count</c> always agree even while recording continues.
/// </summary>
internal sealed class HistogramSnapshot(long[] counts, double sum)
{
    public long[] Counts { get; } = counts;
    public double Sum { get; private set; } = sum;

    public void Add(HistogramSnapshot other)
    {
        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] += other.Counts[i];
        }

        Sum += other.Sum;
    }
}
