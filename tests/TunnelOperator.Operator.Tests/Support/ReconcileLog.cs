using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Operator.Tests.Support;

/// <summary>Every reconcile an operator finished, for tests that wait on reconciles rather than on time.</summary>
public sealed class ReconcileLog
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly List<(Func<Entry, bool> Match, int Count, TaskCompletionSource Done)> _waiters = [];

    public sealed record Entry(string Controller, string? Namespace, string? Name, Exception? Error);

    /// <summary>Pass as <c>OperatorOptions.AfterReconcile</c>.</summary>
    public void Record(string controller, KubernetesObject value, Exception? error)
    {
        var entry = new Entry(controller, value.Metadata.Namespace, value.Metadata.Name, error);
        lock (_lock)
        {
            _entries.Add(entry);
            foreach (var waiter in _waiters.ToList())
            {
                if (_entries.Count(waiter.Match) >= waiter.Count)
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    public int Count(Func<Entry, bool> match)
    {
        lock (_lock)
        {
            return _entries.Count(match);
        }
    }

    /// <summary>Waits until <paramref name="count"/> reconciles in all (past ones included) match.</summary>
    public async Task WaitAsync(Func<Entry, bool> match, int count, string what, int seconds = 60)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_entries.Count(match) >= count)
            {
                return;
            }

            _waiters.Add((match, count, done));
        }

        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(seconds), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: {Count(match)} of {count} matching reconciles within {seconds} s");
        }
    }

    /// <summary>Waits for <paramref name="more"/> reconciles of the object beyond those seen so far.</summary>
    public Task WaitForMoreAsync(string controller, string ns, string name, int more, string what)
    {
        bool Match(Entry e) => e.Controller == controller && e.Namespace == ns && e.Name == name && e.Error is null;
        return WaitAsync(Match, Count(Match) + more, what);
    }
}
