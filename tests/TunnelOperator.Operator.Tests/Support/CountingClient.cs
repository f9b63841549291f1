using System.Collections.Concurrent;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Operator.Tests.Support;

/// <summary>A real client that counts every write it passes on, by kind and verb ("Deployment apply").</summary>
public sealed class CountingClient(IKubernetesClient inner) : IKubernetesClient
{
    private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);

    public string DefaultNamespace => inner.DefaultNamespace;

    /// <summary>Writes so far, e.g. { "Secret apply": 2 }.</summary>
    public IReadOnlyDictionary<string, int> Writes => new Dictionary<string, int>(_writes);

    public int TotalWrites => _writes.Values.Sum();

    public IResourceClient<T> Resource<T>(string? @namespace = null)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        new Counted<T>(inner.Resource<T>(@namespace), verb => _writes.AddOrUpdate($"{T.Resource.Kind} {verb}", 1, (_, n) => n + 1));

    public IDynamicResourceClient Dynamic(ResourceType resource, string? @namespace = null) => inner.Dynamic(resource, @namespace);

    private sealed class Counted<T>(IResourceClient<T> inner, Action<string> count) : IResourceClient<T>
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        public string? Namespace => inner.Namespace;

        public Task<T> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

        public Task<T?> TryGetAsync(string name, CancellationToken cancellationToken = default) => inner.TryGetAsync(name, cancellationToken);

        public Task<KubernetesList<T>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default) => inner.ListAsync(options, cancellationToken);

        public IAsyncEnumerable<T> ListAllAsync(ListOptions? options = null, CancellationToken cancellationToken = default) => inner.ListAllAsync(options, cancellationToken);

        public IAsyncEnumerable<WatchEvent<T>> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default) => inner.WatchAsync(options, cancellationToken);

        public Task<T> CreateAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) => Count("create", inner.CreateAsync(value, options, cancellationToken));

        public Task<T> ReplaceAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) => Count("replace", inner.ReplaceAsync(value, options, cancellationToken));

        public Task<T> PatchAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => Count("patch", inner.PatchAsync(name, patch, options, cancellationToken));

        public Task<T> ApplyAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default) => Count("apply", inner.ApplyAsync(value, options, cancellationToken));

        public Task<DeleteResult<T>> DeleteAsync(string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) => Count("delete", inner.DeleteAsync(name, options, cancellationToken));

        public Task<T> ReplaceStatusAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) => Count("status", inner.ReplaceStatusAsync(value, options, cancellationToken));

        public Task<T> PatchStatusAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => Count("status", inner.PatchStatusAsync(name, patch, options, cancellationToken));

        public Task<T> ApplyStatusAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default) => Count("status", inner.ApplyStatusAsync(value, options, cancellationToken));

        private TResult Count<TResult>(string verb, TResult call)
        {
            count(verb);
            return call;
        }
    }
}
