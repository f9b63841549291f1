using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers;

/// <summary>
/// Names one object of a kind: its namespace (null for cluster-scoped kinds) and name. It is what
/// the work queue holds, so a burst of changes to one object collapses into one reconcile
/// (controller-runtime's <c>reconcile.Request</c>, client-go's <c>namespace/name</c> key).
/// </summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    /// <summary>The key of an object read from the API (an empty namespace counts as none).</summary>
    public static ObjectKey From(KubernetesObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("the object has no metadata.name", nameof(value));
        }

        return new ObjectKey(string.IsNullOrEmpty(value.Metadata.Namespace) ? null : value.Metadata.Namespace, name);
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object, as client-go's MetaNamespaceKeyFunc writes it.</summary>
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
