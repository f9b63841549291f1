namespace TunnelOperator.Controllers.Tests.Support;

/// <summary>
/// A thread-safe log that tests wait on: <see cref="WaitAsync"/> completes when an entry matching the
/// predicate is (or was already) added. The limit only turns a hang into a failure; it measures nothing.
/// </summary>
public sealed class Observations<T>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Predicate, TaskCompletionSource<T> Waiter)> _waiters = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Predicate(item)).ToList())
            {
                waiter.Waiter.TrySetResult(item);
                _waiters.Remove(waiter);
            }
        }
    }

    public Task<T> WaitAsync(Func<T, bool> predicate, string what)
    {
        Task<T> task;
        lock (_lock)
        {
            foreach (var item in _items)
            {
                if (predicate(item))
                {
                    return Task.FromResult(item);
                }
            }

            var waiter = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, waiter));
            task = waiter.Task;
        }

        return Wait(task, what);
    }

    /// <summary>Like <see cref="WaitAsync"/>, but only entries added from now on count.</summary>
    public Task<T> WaitNextAsync(Func<T, bool> predicate, string what)
    {
        var waiter = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((predicate, waiter));
        }

        return Wait(waiter.Task, what);
    }

    private static async Task<T> Wait(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Limit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"never observed: {what}");
        }
    }
}
