using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>The typed client: <typeparamref name="T"/>'s own contracts over the shared verb code.</summary>
internal sealed class ResourceClient<T>(ResourceClientCore<T, KubernetesList<T>> core) : IResourceClient<T>
    where T : KubernetesObject, IKubernetesEntity<T>
{
    private const string Status = ResourceClientCore<T, KubernetesList<T>>.StatusSubresource;

    public string? Namespace => core.Namespace;

    public Task<T> GetAsync(string name, CancellationToken cancellationToken = default) => core.GetAsync(name, cancellationToken);

    public Task<T?> TryGetAsync(string name, CancellationToken cancellationToken = default) => core.TryGetAsync(name, cancellationToken);

    public Task<KubernetesList<T>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default) => core.ListAsync(options, cancellationToken);

    public IAsyncEnumerable<T> ListAllAsync(ListOptions? options = null, CancellationToken cancellationToken = default) => core.ListAllAsync(options, cancellationToken);

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default) => core.WatchAsync(options, cancellationToken);

    public Task<T> CreateAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.CreateAsync(value, options, cancellationToken);

    public Task<T> ReplaceAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.ReplaceAsync(value, null, options, cancellationToken);

    public Task<T> PatchAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.PatchAsync(name, patch, null, options, cancellationToken);

    public Task<T> ApplyAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default) => core.ApplyAsync(value, null, options, cancellationToken);

    public Task<DeleteResult<T>> DeleteAsync(string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) => core.DeleteAsync(name, options, cancellationToken);

    public Task<T> ReplaceStatusAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.ReplaceAsync(value, Status, options, cancellationToken);

    public Task<T> PatchStatusAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.PatchAsync(name, patch, Status, options, cancellationToken);

    public Task<T> ApplyStatusAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default) => core.ApplyAsync(value, Status, options, cancellationToken);
}
