using System.Diagnostics;
using TunnelOperator.Controllers.Metrics;

namespace TunnelOperator.Controllers.Queue;

/// <summary>
/// The rate-limited work queue of a controller, with client-go's workqueue semantics:
/// <list type="number">
/// <item>A key is queued at most once: adding a key that is already waiting does nothing (the
/// <c>dirty</c> set), so a burst of changes to one object becomes one reconcile.</item>
/// <item>A key being processed is never handed to a second worker (the <c>processing</c> set). Adding
/// it meanwhile marks it dirty; <see cref="Done"/> puts it back, so the change is not lost and the
/// object is reconciled once more, by one worker at a time.</item>
/// <item><see cref="AddAfter"/> holds a key on a timer (the earliest of several delays wins);
/// <see cref="AddRateLimited"/> asks the rate limiter for that delay; <see cref="Forget"/> clears
/// the key's failure history.</item>
/// <item><see cref="ShutDown"/> stops taking keys and wakes the workers; keys not yet handed out are
/// dropped (reconciles are level-based: the next start lists everything again), and
/// <see cref="ShutDownWithDrainAsync"/> also waits for the keys in flight to be done.</item>
/// </list>
/// </summary>
public sealed partial class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, long> _queuedAt = [];
    private readonly Dictionary<TKey, long> _startedAt = [];
    private readonly Queue<TaskCompletionSource<bool>> _waiters = new();
    private readonly IRateLimiter<TKey> _rateLimiter;
    private readonly TimeProvider _time;
    private readonly ControllerMetrics _metrics;
    private readonly TagList _tags;
    private TaskCompletionSource? _drained;
    private bool _shuttingDown;

    public WorkQueue(WorkQueueOptions<TKey>? options = null)
    {
        options ??= new WorkQueueOptions<TKey>();
        Name = options.Name;
        _time = options.TimeProvider;
        _rateLimiter = options.RateLimiter ?? RateLimiters.Default<TKey>(_time);
        _metrics = options.Meter is { } meter ? ControllerMetrics.For(meter) : ControllerMetrics.Detached();
        _tags = new TagList { { "name", Name } };
        _timer = _time.CreateTimer(static s => ((WorkQueue<TKey>)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name { get; }

    /// <summary>Keys waiting for a worker (not counting delayed ones or those in flight).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Keys handed to a worker and not yet <see cref="Done"/>.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _processing.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already waiting; a key in flight is queued again when it is done.</summary>
    public void Add(TKey key)
    {
        lock (_lock)
        {
            AddLocked(key);
        }
    }

    /// <summary>
    /// The next key, once one is queued; the caller must call <see cref="Done"/> with it. Returns
    /// <c>Shutdown = true</c> (and no key) once the queue shuts down.
    /// </summary>
    public async ValueTask<(TKey Key, bool Shutdown)> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TaskCompletionSource<bool> waiter;
            lock (_lock)
            {
                if (_shuttingDown)
                {
                    return (default!, true);
                }

                if (_queue.TryDequeue(out var key))
                {
                    var now = _time.GetTimestamp();
                    _processing.Add(key);
                    _dirty.Remove(key);
                    _startedAt[key] = now;
                    _metrics.QueueDepth.Add(-1, _tags);
                    if (_queuedAt.Remove(key, out var queuedAt))
                    {
                        _metrics.QueueDuration.Record(_time.GetElapsedTime(queuedAt, now).TotalSeconds, _tags);
                    }

                    return (key, false);
                }

                waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Enqueue(waiter);
            }

            // A cancelled waiter stays in the line; Signal skips it because TrySetResult then fails.
            await using (cancellationToken.UnsafeRegister(static (s, ct) => ((TaskCompletionSource<bool>)s!).TrySetCanceled(ct), waiter).ConfigureAwait(false))
            {
                await waiter.Task.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the processing of <paramref name="key"/>; if it was added meanwhile, it is queued again now.</summary>
    public void Done(TKey key)
    {
        lock (_lock)
        {
            if (!_processing.Remove(key))
            {
                return;
            }

            if (_startedAt.Remove(key, out var started))
            {
                _metrics.WorkDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _tags);
            }

            if (!_shuttingDown && _dirty.Contains(key))
            {
                Push(key);
            }

            if (_processing.Count == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>Queues the key after the rate limiter's delay for it: a retry after a failure.</summary>
    public void AddRateLimited(TKey key)
    {
        var delay = _rateLimiter.When(key);
        _metrics.QueueRetries.Add(1, _tags);
        AddAfter(key, delay);
    }

    /// <summary>The key succeeded: its backoff starts over. It does not remove the key from the queue.</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    /// <summary>How many times the key was retried since it was last forgotten.</summary>
    public int NumRequeues(TKey key) => _rateLimiter.NumRequeues(key);

    /// <summary>Stops taking keys: adds are ignored, queued and delayed keys are dropped, waiting workers get <c>Shutdown</c>.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            _shuttingDown = true;
            _metrics.QueueDepth.Add(-_queue.Count, _tags);
            _queue.Clear();
            _queuedAt.Clear();
            _dirty.Clear();
            ClearDelayed();
            while (_waiters.TryDequeue(out var waiter))
            {
                waiter.TrySetResult(false);
            }
        }
    }

    /// <summary><see cref="ShutDown"/>, then waits until every key in flight is <see cref="Done"/>.</summary>
    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default)
    {
        ShutDown();
        Task drained;
        lock (_lock)
        {
            if (_processing.Count == 0)
            {
                return;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        ShutDown();
        _timer.Dispose();
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        _metrics.QueueAdds.Add(1, _tags);
        if (!_processing.Contains(key))
        {
            Push(key);
        }
    }

    private void Push(TKey key)
    {
        _queue.Enqueue(key);
        _queuedAt[key] = _time.GetTimestamp();
        _metrics.QueueDepth.Add(1, _tags);
        while (_waiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult(true))
            {
                break;
            }
        }
    }
}
