using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Selectors;

namespace TunnelOperator.Controllers.Cache;

/// <summary>
/// An informer's cache (client-go's thread-safe store with indexers): objects by key, plus one
/// inverted index per index function. Writers are the informer loop; readers are reconcilers on any
/// thread. Objects are immutable records, shared rather than copied.
/// </summary>
internal sealed class InformerStore<T>
    where T : KubernetesObject
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);
    private Dictionary<ObjectKey, T> _items = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public List<T> List(string? @namespace, LabelSelector? selector)
    {
        lock (_lock)
        {
            var result = new List<T>(@namespace is null && selector is null ? _items.Count : 8);
            foreach (var (key, value) in _items)
            {
                if ((@namespace is null || key.Namespace == @namespace) && (selector is null || selector.Matches(value.Metadata.Labels)))
                {
                    result.Add(value);
                }
            }

            return result;
        }
    }

    public List<T> ByIndex(string indexName, string indexedValue)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
            {
                throw new InvalidOperationException($"no index named '{indexName}'; add it with AddIndexer first");
            }

            return index.Keys.TryGetValue(indexedValue, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Adds an index function; objects already cached are indexed at once. Adding the same name twice is an error.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> function)
    {
        lock (_lock)
        {
            if (_indexes.ContainsKey(name))
            {
                throw new InvalidOperationException($"an index named '{name}' exists already");
            }

            var index = new Index(function);
            foreach (var (key, value) in _items)
            {
                index.Add(key, value);
            }

            _indexes[name] = index;
        }
    }

    public bool HasIndex(string name)
    {
        lock (_lock)
        {
            return _indexes.ContainsKey(name);
        }
    }

    /// <summary>Stores the object; returns the version it replaced, if any.</summary>
    public T? Upsert(T value)
    {
        var key = ObjectKey.From(value);
        lock (_lock)
        {
            var old = _items.GetValueOrDefault(key);
            _items[key] = value;
            foreach (var index in _indexes.Values)
            {
                if (old is not null)
                {
                    index.Remove(key, old);
                }

                index.Add(key, value);
            }

            return old;
        }
    }

    public T? Remove(ObjectKey key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            foreach (var index in _indexes.Values)
            {
                index.Remove(key, old);
            }

            return old;
        }
    }

    /// <summary>
    /// Swaps in a fresh list in one step and reports how it differs from what was cached: objects
    /// new to the cache are added, ones with another resourceVersion updated, ones no longer listed
    /// deleted. Handlers told these changes end up where a watch that never broke would have left them.
    /// </summary>
    public List<InformerChange<T>> Replace(IEnumerable<T> listed)
    {
        var next = new Dictionary<ObjectKey, T>();
        foreach (var value in listed)
        {
            next[ObjectKey.From(value)] = value;
        }

        lock (_lock)
        {
            var changes = new List<InformerChange<T>>();
            foreach (var (key, value) in next)
            {
                if (!_items.TryGetValue(key, out var old))
                {
                    changes.Add(InformerChange<T>.Added(value));
                }
                else if (old.Metadata.ResourceVersion != value.Metadata.ResourceVersion || old.Metadata.Uid != value.Metadata.Uid)
                {
                    changes.Add(InformerChange<T>.Updated(old, value));
                }
            }

            foreach (var (key, old) in _items)
            {
                if (!next.ContainsKey(key))
                {
                    changes.Add(InformerChange<T>.Deleted(old));
                }
            }

            _items = next;
            foreach (var index in _indexes.Values)
            {
                index.Rebuild(next);
            }

            return changes;
        }
    }

    private sealed class Index(Func<T, IEnumerable<string>> function)
    {
        public Dictionary<string, HashSet<ObjectKey>> Keys { get; } = new(StringComparer.Ordinal);

        public void Add(ObjectKey key, T value)
        {
            foreach (var indexed in function(value))
            {
                if (!Keys.TryGetValue(indexed, out var set))
                {
                    Keys[indexed] = set = [];
                }

                set.Add(key);
            }
        }

        public void Remove(ObjectKey key, T value)
        {
            foreach (var indexed in function(value))
            {
                if (Keys.TryGetValue(indexed, out var set) && set.Remove(key) && set.Count == 0)
                {
                    Keys.Remove(indexed);
                }
            }
        }

        public void Rebuild(Dictionary<ObjectKey, T> items)
        {
            Keys.Clear();
            foreach (var (key, value) in items)
            {
                Add(key, value);
            }
        }
    }
}
