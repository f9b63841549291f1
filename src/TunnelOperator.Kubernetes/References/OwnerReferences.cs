using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.References;

/// <summary>
/// Owner references from an owner object, as controller-runtime's <c>SetControllerReference</c>
/// and <c>SetOwnerReference</c> build them. An owner must be in the dependent's namespace or
/// cluster-scoped; the garbage collector deletes dependents whose owners are gone.
/// </summary>
public static class OwnerReferences
{
    /// <summary>
    /// A reference to <paramref name="owner"/>, which must carry apiVersion, kind, name and uid (as
    /// an object read from the API does). A controller reference also blocks the owner's foreground
    /// deletion until the dependent is gone.
    /// </summary>
    public static OwnerReference For(KubernetesObject owner, bool controller)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Build(owner.ApiVersion, owner.Kind, owner, controller);
    }

    /// <summary>As <see cref="For(KubernetesObject, bool)"/>, taking apiVersion and kind from <typeparamref name="T"/> when the object lacks them.</summary>
    public static OwnerReference For<T>(T owner, bool controller)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Build(owner.ApiVersion ?? T.Resource.ApiVersion, owner.Kind ?? T.Resource.Kind, owner, controller);
    }

    /// <summary>The one owner reference marked as controller, if any.</summary>
    public static OwnerReference? ControllerOf(KubernetesObject dependent) =>
        dependent?.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    /// <summary>Whether <paramref name="dependent"/> is controlled by the object with <paramref name="ownerUid"/>.</summary>
    public static bool IsControlledBy(KubernetesObject dependent, string ownerUid) =>
        ControllerOf(dependent)?.Uid == ownerUid;

    private static OwnerReference Build(string? apiVersion, string? kind, KubernetesObject owner, bool controller)
    {
        var missing = new[] { ("apiVersion", apiVersion), ("kind", kind), ("metadata.name", owner.Metadata.Name), ("metadata.uid", owner.Metadata.Uid) }
            .Where(f => string.IsNullOrEmpty(f.Item2))
            .Select(f => f.Item1)
            .ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"an owner needs {string.Join(", ", missing)}; read it from the API first", nameof(owner));
        }

        return new OwnerReference
        {
            ApiVersion = apiVersion!,
            Kind = kind!,
            Name = owner.Metadata.Name!,
            Uid = owner.Metadata.Uid!,
            Controller = controller ? true : null,
            BlockOwnerDeletion = controller ? true : null,
        };
    }
}
