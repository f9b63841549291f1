using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Queue;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// Reconciles objects of <typeparamref name="T"/> (controller-runtime's controller): informer events
/// of the kind, of owned kinds and of mapped kinds put keys on a rate-limited work queue; up to
/// <see cref="MaxConcurrentReconciles"/> workers take keys, read the object from the cache and call
/// the reconciler, one reconcile per key at a time. Build one with
/// <see cref="Manager.ControllerManager.NewController"/>; the manager runs it while it leads.
/// </summary>
public sealed partial class Controller<T> : IController, IKeySink
    where T : KubernetesObject, IKubernetesEntity<T>
{
    private readonly ControllerHost _host;
    private readonly Informer<T> _informer;
    private readonly IReadOnlyList<IInformer> _watched;
    private readonly IReconciler<T> _reconciler;
    private readonly IErrorPolicy _errorPolicy;
    private readonly IDeletedHandler? _deletedHandler;
    private readonly IRateLimiter<ObjectKey> _rateLimiter;
    private readonly ILogger _logger;
    private readonly TagList _tags;
    private WorkQueue<ObjectKey>? _queue;
    private int _running;

    internal Controller(
        string name,
        ControllerHost host,
        Informer<T> informer,
        IReadOnlyList<IInformer> watched,
        IReconciler<T> reconciler,
        int maxConcurrentReconciles,
        IErrorPolicy errorPolicy,
        IRateLimiter<ObjectKey> rateLimiter,
        IDeletedHandler? deletedHandler)
    {
        Name = name;
        _host = host;
        _informer = informer;
        _watched = watched;
        _reconciler = reconciler;
        MaxConcurrentReconciles = maxConcurrentReconciles;
        _errorPolicy = errorPolicy;
        _rateLimiter = rateLimiter;
        _deletedHandler = deletedHandler;
        _logger = host.LoggerFactory.CreateLogger("TunnelOperator.Controllers.Controller");
        _tags = new TagList { { "controller", name } };
    }

    /// <summary>Names the controller in logs and metrics; unique within a manager.</summary>
    public string Name { get; }

    public int MaxConcurrentReconciles { get; }

    /// <summary>True while a term runs (the manager leads and has started it).</summary>
    public bool IsRunning => Volatile.Read(ref _queue) is not null;

    /// <summary>Queues a key by hand, e.g. from an external event source; ignored while the controller is not running.</summary>
    public void Enqueue(ObjectKey key) => Volatile.Read(ref _queue)?.Add(key);

    async Task IController.RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"controller {Name} is running already");
        }

        try
        {
            await RunTermAsync(stopping, abort).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task RunTermAsync(CancellationToken stopping, CancellationToken abort)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, abort);
        try
        {
            await InformerCache.WaitForSyncAsync([_informer, .. _watched], either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (either.IsCancellationRequested)
        {
            return;
        }

        using var queue = new WorkQueue<ObjectKey>(new WorkQueueOptions<ObjectKey>
        {
            Name = Name,
            RateLimiter = _rateLimiter,
            TimeProvider = _host.Time,
            Meter = _host.Metrics.Meter,
        });
        Volatile.Write(ref _queue, queue);

        // A new term starts from the level: every object once, whatever happened while not leading.
        var primaries = _informer.List();
        foreach (var value in primaries)
        {
            queue.Add(ObjectKey.From(value));
        }

        ControllerLog.Starting(_logger, Name, MaxConcurrentReconciles, primaries.Count);
        using var reconciling = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var workers = Enumerable.Range(0, MaxConcurrentReconciles)
            .Select(_ => Task.Run(() => WorkAsync(queue, reconciling.Token), CancellationToken.None))
            .ToArray();

        // Stop taking keys the moment a stop is asked for, inside Cancel() itself: a key queued after
        // the caller's Cancel returned is never started. Then let the reconciles in flight finish
        // (graceful) or cancel them (leadership lost: another replica may already be reconciling them).
        using (either.Token.Register(() =>
        {
            Volatile.Write(ref _queue, null);
            queue.ShutDown();
        }))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var all = Task.WhenAll(workers);
        var how = "leadership lost";
        if (!abort.IsCancellationRequested)
        {
            how = "graceful";
            try
            {
                await all.WaitAsync(_host.GracefulShutdownTimeout, _host.Time, abort).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                ControllerLog.GraceExpired(_logger, Name, _host.GracefulShutdownTimeout);
                how = "grace period expired";
            }
            catch (OperationCanceledException)
            {
                how = "aborted while draining";
            }
        }

        await reconciling.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(false);
        ControllerLog.Stopped(_logger, Name, how);
    }

    private async Task WorkAsync(WorkQueue<ObjectKey> queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (key, shutdown) = await queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (shutdown)
            {
                return;
            }

            _host.Metrics.ActiveWorkers.Add(1, _tags);
            try
            {
                await ProcessAsync(queue, key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _host.Metrics.ActiveWorkers.Add(-1, _tags);
                queue.Done(key);
            }
        }
    }
}
