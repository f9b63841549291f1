using System.Globalization;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Events;

/// <summary>
/// Folds repeats into one Event (client-go's <c>EventCorrelator</c>, its event logger part): an event
/// equal to one seen within the window (same object, type, reason and message, from this component)
/// becomes a count bump and a new lastTimestamp on the existing Event; anything else is a new Event.
/// A bounded LRU keeps memory flat however many objects come and go.
/// </summary>
internal sealed class EventCorrelator(int capacity, TimeSpan window)
{
    private readonly Dictionary<EventKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _lastNanos;

    public int Count => _entries.Count;

    /// <summary>What to write for this occurrence: a new Event, or a patch of the one it repeats.</summary>
    public EventPlan Correlate(ObjectReference involved, string type, string reason, string message, DateTimeOffset now)
    {
        var key = new EventKey(Identity(involved), type, reason, message);
        if (_entries.TryGetValue(key, out var node) && now - node.Value.LastTimestamp <= window)
        {
            var entry = node.Value;
            entry.Count++;
            entry.LastTimestamp = now;
            _recency.Remove(node);
            _recency.AddFirst(node);
            return new EventPlan(false, entry.Name, entry.Namespace, entry.Count, entry.FirstTimestamp, now);
        }

        if (node is not null)
        {
            _recency.Remove(node);
            _entries.Remove(key);
        }

        var fresh = new Entry(key, NewName(involved, now), Namespace(involved)) { Count = 1, FirstTimestamp = now, LastTimestamp = now };
        _entries[key] = _recency.AddFirst(fresh);
        while (_entries.Count > capacity && _recency.Last is { } oldest)
        {
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
        }

        return new EventPlan(true, fresh.Name, fresh.Namespace, 1, now, now);
    }

    /// <summary>The Event of a plan no longer exists (expired by the server's TTL, deleted): start over with a new one.</summary>
    public EventPlan Restart(ObjectReference involved, string type, string reason, string message, DateTimeOffset now)
    {
        var key = new EventKey(Identity(involved), type, reason, message);
        if (_entries.Remove(key, out var node))
        {
            _recency.Remove(node);
        }

        return Correlate(involved, type, reason, message, now);
    }

    /// <summary>Events of cluster-scoped objects go to <c>default</c>, as client-go files them.</summary>
    public static string Namespace(ObjectReference involved) => string.IsNullOrEmpty(involved.Namespace) ? "default" : involved.Namespace;

    private static string Identity(ObjectReference involved) =>
        $"{involved.ApiVersion}|{involved.Kind}|{involved.Namespace}|{involved.Name}|{involved.Uid}|{involved.FieldPath}";

    // client-go names events "<object>.<unix nanoseconds in hex>"; ours are also strictly increasing,
    // so two events in the same clock tick never collide.
    private string NewName(ObjectReference involved, DateTimeOffset now)
    {
        var nanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        _lastNanos = Math.Max(nanos, _lastNanos + 1);
        return $"{involved.Name}.{_lastNanos.ToString("x", CultureInfo.InvariantCulture)}";
    }

    private readonly record struct EventKey(string Involved, string Type, string Reason, string Message);

    private sealed class Entry(EventKey key, string name, string @namespace)
    {
        public EventKey Key { get; } = key;

        public string Name { get; } = name;

        public string Namespace { get; } = @namespace;

        public int Count { get; set; }

        public DateTimeOffset FirstTimestamp { get; set; }

        public DateTimeOffset LastTimestamp { get; set; }
    }
}
