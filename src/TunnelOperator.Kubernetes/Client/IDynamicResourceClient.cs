using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// The same verbs as <see cref="IResourceClient{T}"/> on any resource, with objects as JSON: for
/// kinds not known at compile time. Lists come back whole (<c>items</c>, <c>metadata.continue</c>).
/// </summary>
public interface IDynamicResourceClient
{
    ResourceType Resource { get; }

    string? Namespace { get; }

    Task<JsonObject> GetAsync(string name, CancellationToken cancellationToken = default);

    Task<JsonObject?> TryGetAsync(string name, CancellationToken cancellationToken = default);

    Task<JsonObject> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Every item, each with apiVersion and kind filled in (list items of built-in kinds lack them).</summary>
    IAsyncEnumerable<JsonObject> ListAllAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    IAsyncEnumerable<WatchEvent<JsonObject>> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> CreateAsync(JsonObject value, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> ReplaceAsync(JsonObject value, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> PatchAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> ApplyAsync(JsonObject value, ApplyOptions options, CancellationToken cancellationToken = default);

    Task<DeleteResult<JsonObject>> DeleteAsync(string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> ReplaceStatusAsync(JsonObject value, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> PatchStatusAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> ApplyStatusAsync(JsonObject value, ApplyOptions options, CancellationToken cancellationToken = default);
}
