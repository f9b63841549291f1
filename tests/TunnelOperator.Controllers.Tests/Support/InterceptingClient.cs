using System.Runtime.CompilerServices;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Tests.Support;

/// <summary>
/// A real client with test hooks in front of it: calls can be held at a gate, watches ended (as a
/// server timeout would) or broken (as a dropped connection would), and every call is counted. The
/// API server behind is still the real one, so a held watch resumed late gets its real 410.
/// </summary>
public sealed class InterceptingClient(IKubernetesClient inner) : IKubernetesClient
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _calls = [];
    private TaskCompletionSource _gate = Open();
    private CancellationTokenSource _cut = new();
    private bool _breakOnCut;
    private HashSet<string> _held = [];

    public string DefaultNamespace => inner.DefaultNamespace;

    /// <summary>Watch failures the server reported (e.g. 410), in order.</summary>
    public Observations<Exception> WatchErrors { get; } = new();

    /// <summary>Calls per verb ("list", "watch", "create", ...), counted when they reach the gate.</summary>
    public int Calls(string verb)
    {
        lock (_lock)
        {
            return _calls.GetValueOrDefault(verb);
        }
    }

    /// <summary>Observed verbs, for tests that wait for a call to happen.</summary>
    public Observations<string> Verbs { get; } = new();

    /// <summary>Calls of these verbs (list and watch when none are named) wait until <see cref="Release"/>.</summary>
    public void Hold(params string[] verbs)
    {
        lock (_lock)
        {
            _held = verbs.Length == 0 ? ["list", "watch"] : [.. verbs];
            if (_gate.Task.IsCompleted)
            {
                _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _gate.TrySetResult();
        }
    }

    /// <summary>Ends the open watches: cleanly (the stream just ends) or broken (an IOException).</summary>
    public void CutWatches(bool broken)
    {
        CancellationTokenSource cut;
        lock (_lock)
        {
            _breakOnCut = broken;
            cut = _cut;
            _cut = new CancellationTokenSource();
        }

        cut.Cancel();
    }

    public IResourceClient<T> Resource<T>(string? @namespace = null)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        new Intercepted<T>(this, inner.Resource<T>(@namespace));

    public IDynamicResourceClient Dynamic(ResourceType resource, string? @namespace = null) => inner.Dynamic(resource, @namespace);

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task BeforeAsync(string verb, CancellationToken cancellationToken)
    {
        Task gate;
        lock (_lock)
        {
            _calls[verb] = _calls.GetValueOrDefault(verb) + 1;
            gate = _held.Contains(verb) ? _gate.Task : Task.CompletedTask;
        }

        Verbs.Add(verb);
        await gate.WaitAsync(cancellationToken);
    }

    private (CancellationToken Cut, Func<bool> Broken) CurrentCut()
    {
        lock (_lock)
        {
            return (_cut.Token, () => _breakOnCut);
        }
    }

    private sealed class Intercepted<T>(InterceptingClient owner, IResourceClient<T> inner) : IResourceClient<T>
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        public string? Namespace => inner.Namespace;

        public async Task<T> GetAsync(string name, CancellationToken cancellationToken = default)
        {
            await owner.BeforeAsync("get", cancellationToken);
            return await inner.GetAsync(name, cancellationToken);
        }

        public async Task<T?> TryGetAsync(string name, CancellationToken cancellationToken = default)
        {
            await owner.BeforeAsync("get", cancellationToken);
            return await inner.TryGetAsync(name, cancellationToken);
        }

        public async Task<KubernetesList<T>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
        {
            await owner.BeforeAsync("list", cancellationToken);
            return await inner.ListAsync(options, cancellationToken);
        }

        public IAsyncEnumerable<T> ListAllAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.ListAllAsync(options, cancellationToken);

        public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            // The cut is taken before the call is announced, so a test that saw "watch" can cut it.
            var (cut, broken) = owner.CurrentCut();
            await owner.BeforeAsync("watch", cancellationToken);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cut);
            await using var events = inner.WatchAsync(options, linked.Token).GetAsyncEnumerator(linked.Token);
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync();
                }
                catch (OperationCanceledException) when (cut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    if (broken())
                    {
                        throw new IOException("the test broke the watch connection");
                    }

                    yield break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    owner.WatchErrors.Add(e);
                    throw;
                }

                if (!more)
                {
                    yield break;
                }

                yield return events.Current;
            }
        }

        public async Task<T> CreateAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default)
        {
            await owner.BeforeAsync("create", cancellationToken);
            return await inner.CreateAsync(value, options, cancellationToken);
        }

        public async Task<T> ReplaceAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default)
        {
            await owner.BeforeAsync("replace", cancellationToken);
            return await inner.ReplaceAsync(value, options, cancellationToken);
        }

        public async Task<T> PatchAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default)
        {
            await owner.BeforeAsync("patch", cancellationToken);
            return await inner.PatchAsync(name, patch, options, cancellationToken);
        }

        public Task<T> ApplyAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default) => inner.ApplyAsync(value, options, cancellationToken);

        public Task<DeleteResult<T>> DeleteAsync(string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(name, options, cancellationToken);

        public Task<T> ReplaceStatusAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.ReplaceStatusAsync(value, options, cancellationToken);

        public async Task<T> PatchStatusAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default)
        {
            await owner.BeforeAsync("patch-status", cancellationToken);
            return await inner.PatchStatusAsync(name, patch, options, cancellationToken);
        }

        public Task<T> ApplyStatusAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default) =>
            inner.ApplyStatusAsync(value, options, cancellationToken);
    }
}
