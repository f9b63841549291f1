namespace TunnelOperator.Controllers.Queue;

/// <summary>
/// Delayed adds (client-go's delaying queue): a heap of ready times and one timer armed for the
/// earliest. A key delayed twice keeps the earlier time; stale heap entries are skipped lazily.
/// </summary>
public sealed partial class WorkQueue<TKey>
{
    private readonly Dictionary<TKey, long> _delayed = [];
    private readonly PriorityQueue<TKey, long> _heap = new();
    private readonly ITimer _timer;
    private long _armedFor = long.MaxValue;

    /// <summary>Queues <paramref name="key"/> once <paramref name="delay"/> has passed (at once when it is not positive).</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var readyAt = _time.GetTimestamp() + ToTimestampTicks(delay);
            if (_delayed.TryGetValue(key, out var existing) && existing <= readyAt)
            {
                return;
            }

            _delayed[key] = readyAt;
            _heap.Enqueue(key, readyAt);
            ArmLocked();
        }
    }

    /// <summary>Keys waiting on the timer.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _delayed.Count;
            }
        }
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            _armedFor = long.MaxValue;
            var now = _time.GetTimestamp();
            while (_heap.TryPeek(out var key, out var readyAt) && readyAt <= now)
            {
                _heap.Dequeue();
                if (_delayed.TryGetValue(key, out var current) && current == readyAt)
                {
                    _delayed.Remove(key);
                    AddLocked(key);
                }
            }

            ArmLocked();
        }
    }

    private void ArmLocked()
    {
        // Drop entries superseded by an earlier delay of the same key.
        while (_heap.TryPeek(out var key, out var readyAt) && (!_delayed.TryGetValue(key, out var current) || current != readyAt))
        {
            _heap.Dequeue();
        }

        if (!_heap.TryPeek(out _, out var next))
        {
            _armedFor = long.MaxValue;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        if (next == _armedFor)
        {
            return;
        }

        _armedFor = next;
        var due = _time.GetElapsedTime(_time.GetTimestamp(), next);
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }

    private void ClearDelayed()
    {
        _delayed.Clear();
        _heap.Clear();
        _armedFor = long.MaxValue;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private long ToTimestampTicks(TimeSpan delay) => (long)Math.Ceiling(delay.TotalSeconds * _time.TimestampFrequency);
}
