using System.Threading.Channels;

namespace TunnelOperator.ControlPlane.Storage;

/// <summary>
/// The change log that watches are served from, modelled on kube-apiserver's watch cache: a ring of the
/// last N committed events. A watch from resourceVersion R replays the events after R and then follows
/// live ones; when R is older than the ring (or predates this process: the log is not persisted, so a
/// restarted server makes clients relist) it gets 410 Expired.
/// </summary>
internal sealed class WatchHub
{
    private readonly object _lock = new();
    private readonly StoreEvent[] _ring;
    private readonly List<Watcher> _watchers = [];
    private int _start;
    private int _count;
    private long _compactedThrough;

    public WatchHub(int capacity, long startResourceVersion)
    {
        _ring = new StoreEvent[Math.Max(1, capacity)];
        _compactedThrough = startResourceVersion;
    }

    /// <summary>The oldest resourceVersion a watch may start from.</summary>
    public long OldestWatchable
    {
        get
        {
            lock (_lock)
            {
                return _compactedThrough;
            }
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Appends a committed event and hands it to every watcher (called in commit order).</summary>
    public void Publish(StoreEvent e)
    {
        lock (_lock)
        {
            if (_count == _ring.Length)
            {
                _compactedThrough = _ring[_start].ResourceVersion;
                _start = (_start + 1) % _ring.Length;
                _count--;
            }

            _ring[(_start + _count) % _ring.Length] = e;
            _count++;

            for (var i = _watchers.Count - 1; i >= 0; i--)
            {
                var w = _watchers[i];
                if (!w.Offer(e))
                {
                    _watchers.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// Starts a watcher that receives every event after <paramref name="fromResourceVersion"/>, or returns
    /// null when that version has been compacted away.
    /// </summary>
    public Watcher? Subscribe(long fromResourceVersion, Func<StoreEvent, bool> filter, int buffer = 4096)
    {
        lock (_lock)
        {
            if (fromResourceVersion < _compactedThrough)
            {
                return null;
            }

            var watcher = new Watcher(this, filter, buffer);
            for (var i = 0; i < _count; i++)
            {
                var e = _ring[(_start + i) % _ring.Length];
                if (e.ResourceVersion > fromResourceVersion && !watcher.Offer(e))
                {
                    return watcher;
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    internal void Remove(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }
}

/// <summary>
/// One subscription. Events arrive in resourceVersion order; a watcher that falls more than its buffer
/// behind is closed (<see cref="Overflowed"/>) and its client must re-watch, as kube-apiserver does with
/// slow watchers rather than blocking writers.
/// </summary>
internal sealed class Watcher : IDisposable
{
    private readonly WatchHub _hub;
    private readonly Func<StoreEvent, bool> _filter;
    private readonly Channel<StoreEvent> _channel;

    internal Watcher(WatchHub hub, Func<StoreEvent, bool> filter, int buffer)
    {
        _hub = hub;
        _filter = filter;
        _channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    public bool Overflowed { get; private set; }

    internal bool Offer(StoreEvent e)
    {
        if (!_filter(e))
        {
            return true;
        }

        if (_channel.Writer.TryWrite(e))
        {
            return true;
        }

        Overflowed = true;
        _channel.Writer.TryComplete();
        return false;
    }

    public void Dispose()
    {
        _hub.Remove(this);
        _channel.Writer.TryComplete();
    }
}
