using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers;

/// <summary>
/// Owns a finalizer's whole life (kube-rs's <c>finalizer()</c>, controller-runtime's
/// <c>finalizer.Finalizers</c>): add it while the object lives, and when the object is deleted run the
/// cleanup, then remove it so the API server can finish the delete.
/// <list type="number">
/// <item>Live, finalizer missing → add it (merge patch of <c>metadata.finalizers</c> guarded by the
/// resourceVersion) → <see cref="FinalizerAction.Added"/>.</item>
/// <item>Deleting (deletionTimestamp set), finalizer present → run the cleanup. If it throws, the
/// finalizer stays and the exception goes to the controller, which retries with backoff; cleanup
/// must therefore be idempotent. Once it succeeds → remove the finalizer (guarded likewise) →
/// <see cref="FinalizerAction.Finalized"/>.</item>
/// <item>A 409 on either patch (someone else changed the object, e.g. another finalizer went away)
/// is retried here on a fresh read; the cleanup is not run again for it.</item>
/// </list>
/// An object whose cleanup can never succeed (its external system is gone for good) stays in
/// Terminating. An operator (a person) can let it go by removing the finalizer by hand, accepting
/// that the cleanup is skipped:
/// <c>kubectl patch tunnel NAME --type=json -p '[{"op":"remove","path":"/metadata/finalizers/0"}]'</c>
/// (check the index first with <c>kubectl get tunnel NAME -o jsonpath='{.metadata.finalizers}'</c>).
/// </summary>
public static partial class Finalizers
{
    private const int MaxConflictRetries = 5;

    /// <summary>Whether the object carries <paramref name="finalizer"/>.</summary>
    public static bool Has(KubernetesObject value, string finalizer) =>
        value?.Metadata.Finalizers?.Contains(finalizer, StringComparer.Ordinal) == true;

    /// <summary>What the object's state calls for (no I/O).</summary>
    public static FinalizerDecision Decide(KubernetesObject value, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(value);
        var present = Has(value, finalizer);
        return value.Metadata.DeletionTimestamp is null
            ? present ? FinalizerDecision.None : FinalizerDecision.Add
            : present ? FinalizerDecision.Cleanup : FinalizerDecision.Ignore;
    }

    /// <summary>
    /// Adds the finalizer to a live object, or runs <paramref name="cleanup"/> and removes the
    /// finalizer from a deleting one. See the type's remarks for the steps.
    /// </summary>
    /// <param name="client">Writes the finalizer patches.</param>
    /// <param name="value">The object being reconciled, as read from the cache.</param>
    /// <param name="finalizer">A qualified name of ours, e.g. <c>tunneloperator.io/edge-cleanup</c>.</param>
    /// <param name="cleanup">Releases what the object holds outside the cluster; idempotent; throws to retry.</param>
    /// <param name="cancellationToken">Cancelled on shutdown or lost leadership.</param>
    public static async Task<FinalizerAction> EnsureAsync<T>(
        IKubernetesClient client,
        T value,
        string finalizer,
        Func<T, CancellationToken, Task> cleanup,
        CancellationToken cancellationToken)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(cleanup);
        CheckName(finalizer);
        var resource = client.Resource<T>(T.Resource.Namespaced ? value.Metadata.Namespace : null);
        var current = value;
        var cleanedUp = false;
        for (var attempt = 0; ; attempt++)
        {
            var decision = Decide(current, finalizer);
            try
            {
                switch (decision)
                {
                    case FinalizerDecision.None:
                        return FinalizerAction.Continue;
                    case FinalizerDecision.Ignore:
                        return cleanedUp ? FinalizerAction.Finalized : FinalizerAction.NotOurs;
                    case FinalizerDecision.Add:
                        await PatchFinalizersAsync(resource, current, [.. current.Metadata.Finalizers ?? [], finalizer], cancellationToken).ConfigureAwait(false);
                        return FinalizerAction.Added;
                    default:
                        if (!cleanedUp)
                        {
                            await cleanup(current, cancellationToken).ConfigureAwait(false);
                            cleanedUp = true;
                        }

                        var rest = current.Metadata.Finalizers!.Where(f => f != finalizer).ToList();
                        await PatchFinalizersAsync(resource, current, rest, cancellationToken).ConfigureAwait(false);
                        return FinalizerAction.Finalized;
                }
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                // Gone: deleted meanwhile (after our removal, or it never needed us).
                return decision == FinalizerDecision.Cleanup ? FinalizerAction.Finalized : FinalizerAction.NotOurs;
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt < MaxConflictRetries)
            {
                if (await resource.TryGetAsync(current.Metadata.Name!, cancellationToken).ConfigureAwait(false) is not { } fresh
                    || fresh.Metadata.Uid != value.Metadata.Uid)
                {
                    // Gone, or replaced by a new object of the same name that is not ours to finalize here.
                    return cleanedUp ? FinalizerAction.Finalized : FinalizerAction.NotOurs;
                }

                current = fresh;
            }
        }
    }

    /// <summary>Throws unless <paramref name="finalizer"/> is a domain-qualified name (the API warns about others).</summary>
    public static void CheckName(string finalizer)
    {
        if (finalizer is null || finalizer.Length > 316 || !QualifiedName().IsMatch(finalizer))
        {
            throw new ArgumentException($"'{finalizer}' is not a domain-qualified finalizer name such as tunneloperator.io/cleanup", nameof(finalizer));
        }
    }

    // A merge patch replaces the whole list; the resourceVersion makes that safe against a
    // concurrent change of the list (the server answers 409 instead of losing someone's finalizer).
    private static Task<T> PatchFinalizersAsync<T>(IResourceClient<T> resource, T current, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = current.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        return resource.PatchAsync(current.Metadata.Name!, Patch.Merge(patch), cancellationToken: cancellationToken);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();
}
