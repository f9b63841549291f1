using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.References;

namespace TunnelOperator.Controllers.Cache;

/// <summary>
/// Ready-made index functions (client-go's <c>cache.Indexers</c>, controller-runtime's field
/// indexes): look objects up by a computed value instead of scanning the cache.
/// </summary>
public static class Indexers
{
    /// <summary>The uid of the object's controller owner: find the children a parent controls.</summary>
    public const string ControllerOwnerUid = "controller-owner-uid";

    /// <summary>The namespace (the empty string for cluster-scoped objects).</summary>
    public const string Namespace = "namespace";

    public static IEnumerable<string> ByControllerOwnerUid(KubernetesObject value) =>
        OwnerReferences.ControllerOf(value) is { Uid: { Length: > 0 } uid } ? [uid] : [];

    public static IEnumerable<string> ByNamespace(KubernetesObject value) => [value?.Metadata.Namespace ?? ""];
}
