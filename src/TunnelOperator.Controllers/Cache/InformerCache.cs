using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Cache;

/// <summary>
/// The shared informers of a manager: one per kind, however many controllers watch it
/// (client-go's SharedInformerFactory, controller-runtime's cache). Informers asked for after
/// <see cref="Start"/> start at once.
/// </summary>
public sealed class InformerCache : IAsyncDisposable
{
    private readonly IKubernetesClient _client;
    private readonly InformerOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<Type, IInformer> _informers = [];
    private readonly List<Task> _running = [];
    private CancellationTokenSource? _stop;
    private bool _stopped;

    /// <param name="client">The API client the informers list and watch with.</param>
    /// <param name="options">Applies to every informer of the cache (namespace, selectors, resync, pacing).</param>
    public InformerCache(IKubernetesClient client, InformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new InformerOptions();
    }

    /// <summary>True when every informer has synced (vacuously true with none).</summary>
    public bool HasSynced
    {
        get
        {
            lock (_lock)
            {
                return _informers.Values.All(i => i.HasSynced);
            }
        }
    }

    /// <summary>The kinds with an informer, and whether each has synced (for the readiness probe).</summary>
    public IReadOnlyList<(ResourceType Resource, bool Synced)> Status
    {
        get
        {
            lock (_lock)
            {
                return [.. _informers.Values.Select(i => (i.Resource, i.HasSynced))];
            }
        }
    }

    /// <summary>The informer of <typeparamref name="T"/>, created on first use.</summary>
    public Informer<T> GetInformer<T>()
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        lock (_lock)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                return (Informer<T>)existing;
            }

            var informer = new Informer<T>(_client, _options);
            _informers[typeof(T)] = informer;
            if (_stop is { } stop && !_stopped)
            {
                _running.Add(Task.Run(() => informer.RunAsync(stop.Token), CancellationToken.None));
            }

            return informer;
        }
    }

    /// <summary>The cached object of <typeparamref name="T"/>, or null.</summary>
    public T? TryGet<T>(ObjectKey key)
        where T : KubernetesObject, IKubernetesEntity<T> => GetInformer<T>().TryGet(key);

    public IReadOnlyList<T> List<T>(string? @namespace = null, LabelSelector? selector = null)
        where T : KubernetesObject, IKubernetesEntity<T> => GetInformer<T>().List(@namespace, selector);

    /// <summary>Starts every informer (and those created later) until <see cref="StopAsync"/>.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_stop is not null || _stopped)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            foreach (var informer in _informers.Values)
            {
                var token = _stop.Token;
                _running.Add(Task.Run(() => informer.RunAsync(token), CancellationToken.None));
            }
        }
    }

    /// <summary>Waits until every informer existing now has synced.</summary>
    public async Task WaitForSyncAsync(CancellationToken cancellationToken = default)
    {
        IInformer[] informers;
        lock (_lock)
        {
            informers = [.. _informers.Values];
        }

        await Task.WhenAll(informers.Select(i => i.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Waits until the given kinds' informers have synced (a controller waits only for what it watches).</summary>
    internal static Task WaitForSyncAsync(IEnumerable<IInformer> informers, CancellationToken cancellationToken) =>
        Task.WhenAll(informers.Select(i => i.WaitForSyncAsync(cancellationToken)));

    public async Task StopAsync()
    {
        Task[] running;
        CancellationTokenSource? stop;
        lock (_lock)
        {
            _stopped = true;
            stop = _stop;
            _stop = null;
            running = [.. _running];
            _running.Clear();
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
        stop.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
