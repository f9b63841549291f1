using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.ControlPlane.Workloads;

/// <summary>
/// A deduplicating work queue of object keys (<c>namespace/name</c>) with one worker, as client-go's
/// workqueue: a key added while waiting is queued once; a key added while being processed is processed
/// again afterwards. Reconcilers return when to look again (level-based: they are never told why).
/// </summary>
internal sealed partial class KeyQueue
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Due, ITimer Timer)> _delayed = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public KeyQueue(string name, TimeProvider time, ILogger logger)
    {
        _name = name;
        _time = time;
        _logger = logger;
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (!_queued.Add(key))
            {
                return;
            }
        }

        _channel.Writer.TryWrite(key);
    }

    /// <summary>
    /// Adds the key once <paramref name="delay"/> has passed on the injected clock; of several delayed adds of
    /// one key only the earliest stays pending.
    /// </summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = _time.GetUtcNow() + delay;
        lock (_lock)
        {
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            _delayed[key] = (due, _time.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan));
        }
    }

    private void Fire(string key, DateTimeOffset due)
    {
        lock (_lock)
        {
            if (!_delayed.TryGetValue(key, out var pending) || pending.Due != due)
            {
                return;
            }

            _delayed.Remove(key);
            pending.Timer.Dispose();
        }

        Add(key);
    }

    /// <summary>Processes keys one at a time until cancelled. A reconcile that throws is retried after a second.</summary>
    public async Task RunAsync(Func<string, CancellationToken, Task<TimeSpan?>> reconcile, CancellationToken ct)
    {
        try
        {
            await foreach (var key in _channel.Reader.ReadAllAsync(ct))
            {
                lock (_lock)
                {
                    _queued.Remove(key);
                }

                try
                {
                    if (await reconcile(key, ct) is { } after)
                    {
                        AddAfter(key, after);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Log.ReconcileFailed(_logger, _name, key, e);
                    AddAfter(key, RetryDelay);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                foreach (var (_, timer) in _delayed.Values)
                {
                    timer.Dispose();
                }

                _delayed.Clear();
            }
        }
    }

    /// <summary>Splits a <c>namespace/name</c> key.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue}: reconciling {Key} failed; retrying")]
        public static partial void ReconcileFailed(ILogger logger, string queue, string key, Exception e);
    }
}
