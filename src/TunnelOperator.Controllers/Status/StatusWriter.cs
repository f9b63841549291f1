using System.Text.Json;
using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers;

/// <summary>
/// Writes <c>.status</c> through the status subresource, and only when it changed: the desired
/// status is compared with the observed one as JSON (structural equality, property order ignored,
/// times as the API stores them), so a reconcile that finds everything in place writes nothing,
/// causes no watch event and does not wake itself up again.
/// </summary>
public static class StatusWriter
{
    /// <summary>Whether <paramref name="desired"/>'s status differs from <paramref name="observed"/>'s.</summary>
    public static bool HasChanged<T>(T observed, T desired)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        !JsonNode.DeepEquals(StatusOf(observed), StatusOf(desired));

    /// <summary>
    /// Writes <paramref name="desired"/>'s status if it differs from <paramref name="observed"/>'s
    /// (the object the reconcile started from). A 409 (the object changed since it was read, see
    /// <see cref="StatusWriteOptions.OptimisticLock"/>) is thrown, not retried here: the controller
    /// requeues and the next reconcile computes the status from the newer object.
    /// </summary>
    public static async Task<StatusWriteResult<T>> WriteAsync<T>(
        IKubernetesClient client,
        T observed,
        T desired,
        StatusWriteOptions? options = null,
        CancellationToken cancellationToken = default)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(desired);
        options ??= new StatusWriteOptions();
        var before = StatusOf(observed);
        var after = StatusOf(desired);
        if (JsonNode.DeepEquals(before, after))
        {
            return new StatusWriteResult<T>(false, observed);
        }

        var name = observed.Metadata.Name ?? throw new ArgumentException("the object has no metadata.name", nameof(observed));
        var ns = T.Resource.Namespaced ? observed.Metadata.Namespace : null;
        if (options.Mode == StatusWriteMode.Apply)
        {
            var fieldManager = options.FieldManager ?? throw new ArgumentException("apply needs a FieldManager", nameof(options));
            var body = new JsonObject
            {
                ["apiVersion"] = T.Resource.ApiVersion,
                ["kind"] = T.Resource.Kind,
                ["metadata"] = ns is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["status"] = after?.DeepClone(),
            };
            var applied = await client.Dynamic(T.Resource, ns)
                .ApplyStatusAsync(body, new ApplyOptions { FieldManager = fieldManager, Force = true }, cancellationToken)
                .ConfigureAwait(false);
            return new StatusWriteResult<T>(true, applied.Deserialize(T.JsonType) ?? throw new JsonException("the server answered null"));
        }

        var patch = new JsonObject { ["status"] = MergePatches.Create(before, after) };
        if (options.OptimisticLock && observed.Metadata.ResourceVersion is { } resourceVersion)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        var written = await client.Resource<T>(ns)
            .PatchStatusAsync(name, Patch.Merge(patch), new WriteOptions { FieldManager = options.FieldManager }, cancellationToken)
            .ConfigureAwait(false);
        return new StatusWriteResult<T>(true, written);
    }

    private static JsonNode? StatusOf<T>(T value)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        JsonSerializer.SerializeToNode(value, T.JsonType) is JsonObject json && json.TryGetPropertyValue("status", out var status) ? status : null;
}
