using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// The API verbs on one kind in one scope: a namespace, or (null) all namespaces / the cluster.
/// Failures the server reports are <see cref="Errors.KubernetesApiException"/>s carrying its Status;
/// non-watch calls time out per <see cref="KubernetesClientOptions.RequestTimeout"/>.
/// </summary>
/// <remarks>
/// With no namespace, a namespaced kind is listed and watched across all namespaces, and objects
/// passed in go to their own <c>metadata.namespace</c>; calls by name need a namespace.
/// </remarks>
public interface IResourceClient<T>
    where T : KubernetesObject, IKubernetesEntity<T>
{
    /// <summary>The namespace calls go to, or null for all namespaces / a cluster-scoped kind.</summary>
    string? Namespace { get; }

    /// <summary>The object; 404 throws (<see cref="Errors.KubernetesApiException.IsNotFound"/>).</summary>
    Task<T> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The object, or null when it does not exist.</summary>
    Task<T?> TryGetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>One page; follow <c>metadata.continue</c> for the next, or use <see cref="ListAllAsync"/>.</summary>
    Task<KubernetesList<T>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Every object, fetched in pages (500 unless <see cref="ListOptions.Limit"/> says otherwise).</summary>
    IAsyncEnumerable<T> ListAllAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes until the server ends the stream (the enumeration then ends). 410 Gone, on opening
    /// or as an ERROR event, throws <see cref="Errors.ResourceVersionExpiredException"/>: relist.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>POST. 409 AlreadyExists when the name is taken.</summary>
    Task<T> CreateAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>PUT of the whole object; with <c>metadata.resourceVersion</c> set, 409 Conflict if it changed since.</summary>
    Task<T> ReplaceAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<T> PatchAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Server-side apply: the server merges the fields the object names and records <see cref="ApplyOptions.FieldManager"/> as their owner; creates when missing.</summary>
    Task<T> ApplyAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default);

    /// <summary>Deletes, reporting whether the object is gone, still finalizing, or was gone already.</summary>
    Task<DeleteResult<T>> DeleteAsync(string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>PUT to the status subresource: only <c>status</c> changes, and metadata.generation does not move.</summary>
    Task<T> ReplaceStatusAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<T> PatchStatusAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<T> ApplyStatusAsync(T value, ApplyOptions options, CancellationToken cancellationToken = default);
}
