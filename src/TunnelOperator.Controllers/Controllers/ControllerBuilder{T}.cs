using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Queue;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// What a controller of <typeparamref name="T"/> watches and how it works (controller-runtime's
/// builder): <c>manager.NewController("tunnels").For&lt;Tunnel&gt;().Owns&lt;ConfigMap&gt;().Complete(reconciler)</c>.
/// Informers are the manager's shared ones.
/// </summary>
public sealed class ControllerBuilder<T>
    where T : KubernetesObject, IKubernetesEntity<T>
{
    private readonly ControllerHost _host;
    private readonly string _name;
    private readonly List<Func<IKeySink, (IInformer Informer, IDisposable Registration)>> _sources = [];
    private int _maxConcurrentReconciles = 1;
    private IErrorPolicy _errorPolicy = DefaultErrorPolicy.Instance;
    private IRateLimiter<ObjectKey>? _rateLimiter;
    private IDeletedHandler? _deletedHandler;
    private bool _completed;

    internal ControllerBuilder(ControllerHost host, string name)
    {
        _host = host;
        _name = name;
    }

    /// <summary>
    /// Changes of <typeparamref name="TChild"/> objects queue their controller owner when it is a
    /// <typeparamref name="T"/>. Also indexes the children by <see cref="Indexers.ControllerOwnerUid"/>,
    /// so the reconciler finds its children with <c>cache.GetInformer&lt;TChild&gt;().ByIndex(...)</c>.
    /// </summary>
    public ControllerBuilder<T> Owns<TChild>()
        where TChild : KubernetesObject, IKubernetesEntity<TChild>
    {
        _sources.Add(sink =>
        {
            var informer = _host.Cache.GetInformer<TChild>();
            informer.EnsureIndexer(Indexers.ControllerOwnerUid, Indexers.ByControllerOwnerUid);
            return (informer, informer.AddEventHandler(new EnqueueRequestForOwner<TChild>(sink, T.Resource)));
        });
        return this;
    }

    /// <summary>Changes of <typeparamref name="TOther"/> objects queue the keys <paramref name="map"/> returns (it must not block or throw).</summary>
    public ControllerBuilder<T> Watches<TOther>(Func<TOther, IEnumerable<ObjectKey>> map)
        where TOther : KubernetesObject, IKubernetesEntity<TOther>
    {
        ArgumentNullException.ThrowIfNull(map);
        _sources.Add(sink =>
        {
            var informer = _host.Cache.GetInformer<TOther>();
            return (informer, informer.AddEventHandler(new EnqueueRequestsFromMap<TOther>(sink, map)));
        });
        return this;
    }

    /// <summary>Workers reconciling different keys at once (default 1); one key is never reconciled twice at once.</summary>
    public ControllerBuilder<T> WithMaxConcurrentReconciles(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _maxConcurrentReconciles = count;
        return this;
    }

    /// <summary>Decides retries after a failed reconcile (default <see cref="DefaultErrorPolicy"/>).</summary>
    public ControllerBuilder<T> WithErrorPolicy(IErrorPolicy policy)
    {
        _errorPolicy = policy ?? throw new ArgumentNullException(nameof(policy));
        return this;
    }

    /// <summary>Paces retries (default <see cref="RateLimiters.Default{TKey}"/>: 5 ms doubling to 1000 s, 10 qps burst 100).</summary>
    public ControllerBuilder<T> WithRateLimiter(IRateLimiter<ObjectKey> rateLimiter)
    {
        _rateLimiter = rateLimiter ?? throw new ArgumentNullException(nameof(rateLimiter));
        return this;
    }

    /// <summary>Called for keys whose object has left the cache (instead of skipping them).</summary>
    public ControllerBuilder<T> WithDeletedHandler(IDeletedHandler handler)
    {
        _deletedHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Builds the controller, registers its event handlers and hands it to the manager.</summary>
    public Controller<T> Complete(IReconciler<T> reconciler)
    {
        ArgumentNullException.ThrowIfNull(reconciler);
        if (_completed)
        {
            throw new InvalidOperationException($"controller {_name} was built already");
        }

        _completed = true;
        var primary = _host.Cache.GetInformer<T>();
        var sink = new DeferredSink();
        var watched = new List<IInformer>();
        foreach (var source in _sources)
        {
            watched.Add(source(sink).Informer);
        }

        var controller = new Controller<T>(_name, _host, primary, watched, reconciler, _maxConcurrentReconciles, _errorPolicy,
            _rateLimiter ?? RateLimiters.Default<ObjectKey>(_host.Time), _deletedHandler);
        sink.Target = controller;
        primary.AddEventHandler(new EnqueueRequestForObject<T>(controller));
        _host.Register(controller);
        return controller;
    }

    /// <summary>Lets handlers be registered before the controller they feed exists.</summary>
    private sealed class DeferredSink : IKeySink
    {
        public IKeySink? Target { get; set; }

        public void Enqueue(ObjectKey key) => Target?.Enqueue(key);
    }
}
