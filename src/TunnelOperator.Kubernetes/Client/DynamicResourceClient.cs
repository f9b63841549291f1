using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>The dynamic client: objects as <see cref="JsonObject"/> over the shared verb code.</summary>
internal sealed class DynamicResourceClient(ResourceClientCore<JsonObject, JsonObject> core) : IDynamicResourceClient
{
    private const string Status = ResourceClientCore<JsonObject, JsonObject>.StatusSubresource;

    public ResourceType Resource => core.Resource;

    public string? Namespace => core.Namespace;

    public Task<JsonObject> GetAsync(string name, CancellationToken cancellationToken = default) => core.GetAsync(name, cancellationToken);

    public Task<JsonObject?> TryGetAsync(string name, CancellationToken cancellationToken = default) => core.TryGetAsync(name, cancellationToken);

    public Task<JsonObject> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default) => core.ListAsync(options, cancellationToken);

    public IAsyncEnumerable<JsonObject> ListAllAsync(ListOptions? options = null, CancellationToken cancellationToken = default) => core.ListAllAsync(options, cancellationToken);

    public IAsyncEnumerable<WatchEvent<JsonObject>> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default) => core.WatchAsync(options, cancellationToken);

    public Task<JsonObject> CreateAsync(JsonObject value, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.CreateAsync(value, options, cancellationToken);

    public Task<JsonObject> ReplaceAsync(JsonObject value, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.ReplaceAsync(value, null, options, cancellationToken);

    public Task<JsonObject> PatchAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.PatchAsync(name, patch, null, options, cancellationToken);

    public Task<JsonObject> ApplyAsync(JsonObject value, ApplyOptions options, CancellationToken cancellationToken = default) => core.ApplyAsync(value, null, options, cancellationToken);

    public Task<DeleteResult<JsonObject>> DeleteAsync(string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) => core.DeleteAsync(name, options, cancellationToken);

    public Task<JsonObject> ReplaceStatusAsync(JsonObject value, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.ReplaceAsync(value, Status, options, cancellationToken);

    public Task<JsonObject> PatchStatusAsync(string name, Patch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => core.PatchAsync(name, patch, Status, options, cancellationToken);

    public Task<JsonObject> ApplyStatusAsync(JsonObject value, ApplyOptions options, CancellationToken cancellationToken = default) => core.ApplyAsync(value, Status, options, cancellationToken);
}
