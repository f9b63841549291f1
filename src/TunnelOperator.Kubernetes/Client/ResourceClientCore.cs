using System.Text.Json;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// The verbs of the API on one resource in one scope (a namespace, all namespaces, or the
/// cluster), shared by the typed and the dynamic client. Paths follow the API conventions:
/// <c>/api/v1/namespaces/{ns}/{plural}/{name}/{subresource}</c>, <c>/apis/{group}/{version}/...</c>
/// for named groups. Reads are here; writes and watch are in the other partial files.
/// </summary>
internal sealed partial class ResourceClientCore<TObject, TList>
    where TObject : class
    where TList : class
{
    /// <summary>client-go's pager default: big enough to be cheap, small enough to bound a response.</summary>
    internal const int DefaultPageSize = 500;

    private readonly KubernetesTransport _transport;
    private readonly ResourceCodec<TObject, TList> _codec;

    public ResourceClientCore(KubernetesTransport transport, ResourceType resource, string? ns, ResourceCodec<TObject, TList> codec)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!resource.Namespaced && ns is not null)
        {
            throw new ArgumentException($"{resource} is cluster-scoped; it has no namespace '{ns}'", nameof(ns));
        }

        if (ns is { Length: 0 })
        {
            throw new ArgumentException("a namespace cannot be empty; pass null for all namespaces", nameof(ns));
        }

        _transport = transport;
        Resource = resource;
        Namespace = ns;
        _codec = codec;
    }

    public ResourceType Resource { get; }

    public string? Namespace { get; }

    public async Task<TObject> GetAsync(string name, CancellationToken cancellationToken) =>
        (await _transport.SendAsync(Call(HttpMethod.Get, "get", Namespace, name, ItemPath(name)), _codec.ObjectType, notFoundIsDefault: false, cancellationToken).ConfigureAwait(false))!;

    public Task<TObject?> TryGetAsync(string name, CancellationToken cancellationToken) =>
        _transport.SendAsync(Call(HttpMethod.Get, "get", Namespace, name, ItemPath(name)), _codec.ObjectType, notFoundIsDefault: true, cancellationToken);

    public async Task<TList> ListAsync(ListOptions? options, CancellationToken cancellationToken)
    {
        var query = new QueryString()
            .Add("labelSelector", options?.LabelSelector)
            .Add("fieldSelector", options?.FieldSelector)
            .Add("limit", options?.Limit)
            .Add("continue", options?.Continue)
            .Add("resourceVersion", options?.ResourceVersion)
            .Add("resourceVersionMatch", options?.ResourceVersionMatch);
        var list = await _transport.SendAsync(Call(HttpMethod.Get, "list", Namespace, null, CollectionPath(Namespace) + query), _codec.ListType, notFoundIsDefault: false, cancellationToken).ConfigureAwait(false);
        return _codec.Normalize(list!);
    }

    /// <summary>
    /// Every item, page by page through continue tokens. A token that expired mid-way (the list
    /// took longer than the server keeps versions) surfaces as ResourceVersionExpiredException.
    /// </summary>
    public async IAsyncEnumerable<TObject> ListAllAsync(ListOptions? options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = (options ?? new ListOptions()) with { Limit = options?.Limit ?? DefaultPageSize };
        while (true)
        {
            var list = await ListAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var item in _codec.Items(list))
            {
                yield return item;
            }

            var next = _codec.Continue(list);
            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            // Later pages come from the snapshot the token names; a resourceVersion must not be repeated.
            page = page with { Continue = next, ResourceVersion = null, ResourceVersionMatch = null };
        }
    }

    public async Task<DeleteResult<TObject>> DeleteAsync(string name, DeleteOptions? options, CancellationToken cancellationToken)
    {
        var call = Call(HttpMethod.Delete, "delete", Namespace, name, ItemPath(name)) with
        {
            Body = options is null ? null : JsonSerializer.SerializeToUtf8Bytes(options, KubernetesJsonContext.Default.DeleteOptions),
        };
        var body = await _transport.SendForBytesAsync(call, notFoundIsNull: true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return new DeleteResult<TObject> { Outcome = DeleteOutcome.AlreadyGone };
        }

        // The answer is a Success Status when the object is gone, or the object itself while
        // finalizers or a grace period keep it (it then has a deletionTimestamp).
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || (root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "Status"))
        {
            return new DeleteResult<TObject> { Outcome = DeleteOutcome.Deleted };
        }

        var pending = root.TryGetProperty("metadata", out var metadata)
            && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("deletionTimestamp", out var deletion)
            && deletion.ValueKind == JsonValueKind.String;
        return new DeleteResult<TObject>
        {
            Outcome = pending ? DeleteOutcome.Pending : DeleteOutcome.Deleted,
            Object = pending ? _codec.Decode(root) : null,
        };
    }

    private ApiCall Call(HttpMethod method, string verb, string? ns, string? name, string pathAndQuery) =>
        new(method, pathAndQuery, (ns, name) switch
        {
            (null, null) => $"{verb} {Resource}",
            (null, _) => $"{verb} {Resource} {name}",
            (_, null) => $"{verb} {Resource} in {ns}",
            _ => $"{verb} {Resource} {ns}/{name}",
        });

    internal string CollectionPath(string? ns) =>
        Resource.Namespaced && ns is not null
            ? $"{Resource.GroupVersionPath}/namespaces/{Uri.EscapeDataString(ns)}/{Resource.Plural}"
            : $"{Resource.GroupVersionPath}/{Resource.Plural}";

    internal string ItemPath(string name, string? subresource = null, string? ns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ns ??= Namespace;
        if (Resource.Namespaced && ns is null)
        {
            throw new InvalidOperationException($"{Resource} is namespaced: name a namespace to address '{name}'");
        }

        var path = $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
        return subresource is null ? path : $"{path}/{subresource}";
    }
}
