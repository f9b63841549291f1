using System.Text;
using System.Text.Json;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>Create, replace, patch and server-side apply, on the object or its status subresource.</summary>
internal sealed partial class ResourceClientCore<TObject, TList>
{
    /// <summary>
    /// Server-side apply's content type. The body is YAML by name, and JSON is YAML, so the object
    /// is sent as JSON (server-side apply docs, "API implementation").
    /// </summary>
    internal const string ApplyPatchContentType = "application/apply-patch+yaml";

    public const string StatusSubresource = "status";

    public Task<TObject> CreateAsync(TObject value, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var (objectNamespace, name) = _codec.Identify(value);
        var ns = TargetNamespace(objectNamespace);
        var call = Call(HttpMethod.Post, "create", ns, name, CollectionPath(ns) + new QueryString().Write(options)) with { Body = Serialize(value) };
        return SendAsync(call, cancellationToken);
    }

    public Task<TObject> ReplaceAsync(TObject value, string? subresource, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var (ns, name) = Target(value);
        var call = Call(HttpMethod.Put, Verb("replace", subresource), ns, name, ItemPath(name, subresource, ns) + new QueryString().Write(options)) with { Body = Serialize(value) };
        return SendAsync(call, cancellationToken);
    }

    public Task<TObject> PatchAsync(string name, Patch patch, string? subresource, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var call = Call(HttpMethod.Patch, Verb("patch", subresource), Namespace, name, ItemPath(name, subresource) + new QueryString().Write(options)) with
        {
            Body = Encoding.UTF8.GetBytes(patch.Body.ToJsonString()),
            ContentType = patch.ContentType,
        };
        return SendAsync(call, cancellationToken);
    }

    public Task<TObject> ApplyAsync(TObject value, string? subresource, ApplyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.FieldManager, nameof(options));
        var (ns, name) = Target(value);
        var query = new QueryString()
            .Add("fieldManager", options.FieldManager)
            .Add("force", options.Force)
            .Add("dryRun", options.DryRun ? "All" : null)
            .Add("fieldValidation", options.FieldValidation);
        var call = Call(HttpMethod.Patch, Verb("apply", subresource), ns, name, ItemPath(name, subresource, ns) + query) with
        {
            Body = Serialize(value),
            ContentType = ApplyPatchContentType,
        };
        return SendAsync(call, cancellationToken);
    }

    private async Task<TObject> SendAsync(ApiCall call, CancellationToken cancellationToken) =>
        (await _transport.SendAsync(call, _codec.ObjectType, notFoundIsDefault: false, cancellationToken).ConfigureAwait(false))!;

    private byte[] Serialize(TObject value) => JsonSerializer.SerializeToUtf8Bytes(_codec.WithTypeMeta(value), _codec.ObjectType);

    private static string Verb(string verb, string? subresource) => subresource is null ? verb : $"{verb} {subresource} of";

    private (string? Namespace, string Name) Target(TObject value)
    {
        var (objectNamespace, name) = _codec.Identify(value);
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("the object has no metadata.name", nameof(value));
        }

        return (TargetNamespace(objectNamespace), name);
    }

    /// <summary>The client's namespace, else the object's; they must agree when both are set.</summary>
    private string? TargetNamespace(string? objectNamespace)
    {
        if (!Resource.Namespaced)
        {
            return null;
        }

        if (Namespace is not null)
        {
            return objectNamespace is null || objectNamespace == Namespace
                ? Namespace
                : throw new ArgumentException($"the object is in namespace '{objectNamespace}', the client in '{Namespace}'");
        }

        return string.IsNullOrEmpty(objectNamespace)
            ? throw new InvalidOperationException($"{Resource} is namespaced: set metadata.namespace or use a client for a namespace")
            : objectNamespace;
    }
}
