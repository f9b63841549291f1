using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Kubernetes.References;

/// <summary>
/// core/v1 ObjectReferences to objects, e.g. an Event's <c>involvedObject</c> (what
/// client-go's <c>reference.GetReference</c> builds).
/// </summary>
public static class ObjectReferences
{
    /// <summary>A reference to <paramref name="value"/>, apiVersion and kind taken from <typeparamref name="T"/> when the object lacks them.</summary>
    public static ObjectReference For<T>(T value, string? fieldPath = null)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        return Build(value, value.ApiVersion ?? T.Resource.ApiVersion, value.Kind ?? T.Resource.Kind, fieldPath);
    }

    /// <summary>A reference to <paramref name="value"/>, which must carry apiVersion and kind.</summary>
    public static ObjectReference For(KubernetesObject value, string? fieldPath = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrEmpty(value.ApiVersion) || string.IsNullOrEmpty(value.Kind))
        {
            throw new ArgumentException("the object has no apiVersion or kind; use the generic overload", nameof(value));
        }

        return Build(value, value.ApiVersion, value.Kind, fieldPath);
    }

    private static ObjectReference Build(KubernetesObject value, string apiVersion, string kind, string? fieldPath)
    {
        if (string.IsNullOrEmpty(value.Metadata.Name))
        {
            throw new ArgumentException("the object has no metadata.name", nameof(value));
        }

        return new ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Namespace = value.Metadata.Namespace,
            Name = value.Metadata.Name,
            Uid = value.Metadata.Uid,
            ResourceVersion = value.Metadata.ResourceVersion,
            FieldPath = fieldPath,
        };
    }
}
