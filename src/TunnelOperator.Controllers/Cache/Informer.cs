using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Cache;

/// <summary>
/// A local, always-current copy of one kind (client-go's shared informer, kube-rs's reflector):
/// <list type="number">
/// <item>List every object (in pages) and remember the list's resourceVersion.</item>
/// <item>Watch from that version with bookmarks; apply each change to the cache, then tell the
/// handlers. A watch the server ends is resumed from the last version seen.</item>
/// <item>On 410 Gone (the version is older than the server keeps) or a broken watch, list again and
/// swap the cache in one step, telling handlers only what differs (adds, updates, deletes), so a
/// level-based consumer converges as if it had seen every change.</item>
/// </list>
/// Reads (<see cref="TryGet"/>, <see cref="List"/>, <see cref="ByIndex"/>) never call the API.
/// </summary>
public sealed partial class Informer<T> : IInformer
    where T : KubernetesObject, IKubernetesEntity<T>
{
    private readonly IResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InformerStore<T> _store = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Held while the cache changes and its handlers are told, and while a handler is added, so that a
    // new handler sees every object exactly once: in the replay or as a later change, never both.
    private readonly Lock _gate = new();
    private IResourceEventHandler<T>[] _handlers = [];
    private int _running;

    public Informer(IKubernetesClient client, InformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? new InformerOptions();
        _client = client.Resource<T>(T.Resource.Namespaced ? _options.Namespace : null);
        _time = _options.TimeProvider;
        _logger = (ILogger?)_options.LoggerFactory?.CreateLogger("TunnelOperator.Controllers.Informer") ?? NullLogger.Instance;
    }

    public ResourceType Resource => T.Resource;

    /// <summary>True once the first list is in the cache and its objects were handed to the handlers.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the cache is current to (the last list, watch event or bookmark).</summary>
    public string? LastSyncResourceVersion { get; private set; }

    /// <summary>How many objects the cache holds.</summary>
    public int Count => _store.Count;

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The cached object, or null. Treat it as read-only (change a copy made with <c>with</c>).</summary>
    public T? TryGet(ObjectKey key) => _store.Get(key);

    /// <summary>Cached objects, optionally of one namespace and matching a label selector.</summary>
    public IReadOnlyList<T> List(string? @namespace = null, LabelSelector? selector = null) => _store.List(@namespace, selector);

    /// <summary>Objects whose index function returned <paramref name="indexedValue"/>, e.g. children by <see cref="Indexers.ControllerOwnerUid"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string indexedValue) => _store.ByIndex(indexName, indexedValue);

    /// <summary>Adds an index; cached objects are indexed at once. The function must not throw.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> index)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(index);
        _store.AddIndex(name, index);
    }

    /// <summary>Adds the index unless one of that name exists (so several controllers may ask for the same one).</summary>
    public void EnsureIndexer(string name, Func<T, IEnumerable<string>> index)
    {
        lock (_gate)
        {
            if (!_store.HasIndex(name))
            {
                AddIndexer(name, index);
            }
        }
    }

    /// <summary>
    /// Adds a handler. If the cache has synced, the handler is first told of every cached object as
    /// an add (as client-go's AddEventHandler does), then of changes. Dispose the result to remove it.
    /// </summary>
    public IDisposable AddEventHandler(IResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (HasSynced)
            {
                foreach (var value in _store.List(null, null))
                {
                    Safely(() => handler.OnAdd(value));
                }
            }

            _handlers = [.. _handlers, handler];
        }

        return new Registration(this, handler);
    }

    private void RemoveEventHandler(IResourceEventHandler<T> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers.Where(h => !ReferenceEquals(h, handler))];
        }
    }

    private void Dispatch(InformerChange<T> change)
    {
        foreach (var handler in _handlers)
        {
            switch (change.Type)
            {
                case InformerChangeType.Added:
                    Safely(() => handler.OnAdd(change.New!));
                    break;
                case InformerChangeType.Updated:
                    Safely(() => handler.OnUpdate(change.Old!, change.New!));
                    break;
                default:
                    Safely(() => handler.OnDelete(change.Old!));
                    break;
            }
        }
    }

    // A handler's bug must not stop the informer: the cache would go stale for every other consumer.
    private void Safely(Action call)
    {
        try
        {
            call();
        }
        catch (Exception e)
        {
            InformerLog.HandlerFailed(_logger, e, T.Resource.ToString());
        }
    }

    private sealed class Registration(Informer<T> informer, IResourceEventHandler<T> handler) : IDisposable
    {
        public void Dispose() => informer.RemoveEventHandler(handler);
    }
}
