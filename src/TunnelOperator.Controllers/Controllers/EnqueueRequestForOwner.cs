using TunnelOperator.Controllers.Cache;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.References;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// A change of an owned object queues its controller owner (controller-runtime's
/// <c>EnqueueRequestForOwner</c> with <c>OnlyControllerOwner</c>): the owner reference marked
/// <c>controller: true</c>, if its kind and API group are the owner kind's. The version is not
/// compared, as in controller-runtime: an owner written as v1alpha1 is still the owner after an
/// upgrade to v1. On an update both the old and the new owner are queued, so a child that moved is
/// let go of by one and picked up by the other.
/// </summary>
internal sealed class EnqueueRequestForOwner<TChild>(IKeySink sink, ResourceType owner) : IResourceEventHandler<TChild>
    where TChild : KubernetesObject
{
    public void OnAdd(TChild value) => Enqueue(value);

    public void OnUpdate(TChild oldValue, TChild newValue)
    {
        var before = OwnerKey(oldValue, owner);
        var after = OwnerKey(newValue, owner);
        if (before is { } b && before != after)
        {
            sink.Enqueue(b);
        }

        if (after is { } a)
        {
            sink.Enqueue(a);
        }
    }

    public void OnDelete(TChild value) => Enqueue(value);

    /// <summary>The key of <paramref name="child"/>'s controller owner if it is of kind <paramref name="owner"/>, else null.</summary>
    internal static ObjectKey? OwnerKey(KubernetesObject child, ResourceType owner)
    {
        if (OwnerReferences.ControllerOf(child) is not { } reference
            || reference.Kind != owner.Kind
            || GroupOf(reference.ApiVersion) != owner.Group
            || string.IsNullOrEmpty(reference.Name))
        {
            return null;
        }

        // Owners are in the dependent's namespace or cluster-scoped (the garbage collector's rule).
        var ns = owner.Namespaced && !string.IsNullOrEmpty(child.Metadata.Namespace) ? child.Metadata.Namespace : null;
        return owner.Namespaced && ns is null ? null : new ObjectKey(ns, reference.Name);
    }

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }

    private void Enqueue(TChild value)
    {
        if (OwnerKey(value, owner) is { } key)
        {
            sink.Enqueue(key);
        }
    }
}
