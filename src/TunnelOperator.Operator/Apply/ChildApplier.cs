using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.References;

namespace TunnelOperator.Operator.Apply;

/// <summary>
/// The apply step of every controller: writes a planned child with server-side apply under the
/// operator's one field manager (forced: the operator is the source of truth for the fields it names),
/// but only when the live object does not already say it. A child is left alone when it carries the
/// hash of the planned object (<see cref="WellKnown.AppliedHashAnnotation"/>) and every planned field
/// (<see cref="JsonSubset"/>): the hash notices fields the plan stopped naming, the comparison notices
/// someone else's edits. So a reconcile that finds everything in place writes nothing.
/// </summary>
internal sealed class ChildApplier(IKubernetesClient client, Func<KubernetesObject, CancellationToken, Task>? afterWrite = null)
{
    // Cached objects (immutable; a change replaces the instance) already found to match the plan of a given hash:
    // a Tunnel that is looked at again every few seconds does not serialise and compare its children each time.
    private readonly ConditionalWeakTable<KubernetesObject, string> _upToDate = [];

    /// <summary>Applies <paramref name="desired"/> unless <paramref name="live"/> (the cached object, if any) already matches it.</summary>
    /// <exception cref="ChildConflictException">The live object is controlled by another owner.</exception>
    public async Task<T> ApplyAsync<T>(T desired, T? live, CancellationToken cancellationToken)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        ArgumentNullException.ThrowIfNull(desired);
        var stamped = Stamp(desired);
        if (live is not null)
        {
            CheckOwner(desired, live);
            var hash = stamped.Metadata.Annotations![WellKnown.AppliedHashAnnotation];
            if (_upToDate.TryGetValue(live, out var known) && known == hash)
            {
                return live;
            }

            if (UpToDate(stamped, live))
            {
                _upToDate.AddOrUpdate(live, hash);
                return live;
            }
        }

        var ns = T.Resource.Namespaced ? desired.Metadata.Namespace : null;
        var applied = await client.Resource<T>(ns)
            .ApplyAsync(stamped, new ApplyOptions { FieldManager = WellKnown.FieldManager, Force = true }, cancellationToken)
            .ConfigureAwait(false);
        if (afterWrite is not null)
        {
            await afterWrite(applied, cancellationToken).ConfigureAwait(false);
        }

        return applied;
    }

    /// <summary>Deletes <paramref name="live"/> if it is controlled by <paramref name="owner"/>; a child already gone is fine.</summary>
    public async Task DeleteOwnedAsync<T>(T? live, KubernetesObject owner, CancellationToken cancellationToken)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        if (live is null || owner.Metadata.Uid is not { } uid || !OwnerReferences.IsControlledBy(live, uid) || live.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        try
        {
            await client.Resource<T>(live.Metadata.Namespace).DeleteAsync(live.Metadata.Name!, new DeleteOptions
            {
                PropagationPolicy = PropagationPolicy.Background,
                Preconditions = new Preconditions { Uid = live.Metadata.Uid },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone already, or replaced by another object of that name: not ours to delete.
        }
    }

    /// <summary>Whether <paramref name="live"/> carries the hash and every field of the stamped plan.</summary>
    public static bool UpToDate<T>(T stamped, T live)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        live.Metadata.Annotations?.GetValueOrDefault(WellKnown.AppliedHashAnnotation) == stamped.Metadata.Annotations?[WellKnown.AppliedHashAnnotation]
        && JsonSubset.Contains(JsonSerializer.SerializeToNode(live, T.JsonType), JsonSerializer.SerializeToNode(stamped, T.JsonType));

    /// <summary><paramref name="desired"/> with the hash of its JSON in <see cref="WellKnown.AppliedHashAnnotation"/>.</summary>
    public static T Stamp<T>(T desired)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(desired, T.JsonType);
        var hash = Convert.ToHexStringLower(SHA256.HashData(json))[..16];
        var annotations = new Dictionary<string, string>(desired.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WellKnown.AppliedHashAnnotation] = hash,
        };
        return desired with { Metadata = desired.Metadata with { Annotations = annotations } };
    }

    private static void CheckOwner<T>(T desired, T live)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        var wanted = desired.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        var holder = OwnerReferences.ControllerOf(live);
        if (wanted is not null && holder is not null && holder.Uid != wanted.Uid)
        {
            throw new ChildConflictException(
                $"{T.Resource.Kind} {live.Metadata.Namespace}/{live.Metadata.Name} is controlled by {holder.Kind} {holder.Name}, not by {wanted.Kind} {wanted.Name}: rename one of them");
        }

        if (wanted is not null && holder is null && live.Metadata.ManagedFields?.Any(f => f.Manager == WellKnown.FieldManager) != true)
        {
            throw new ChildConflictException(
                $"{T.Resource.Kind} {live.Metadata.Namespace}/{live.Metadata.Name} exists and was not made by the operator; delete or rename it so {wanted.Kind} {wanted.Name} can own it");
        }
    }
}
