using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Cache;

/// <summary>Ready-made <see cref="InformerOptions.Transform"/>s.</summary>
public static class InformerTransforms
{
    /// <summary>
    /// Keeps who manages an object (manager, operation, API version, time, subresource of each
    /// <c>managedFields</c> entry) but drops the field sets themselves (<c>fieldsV1</c>). The field sets are
    /// the largest part of most cached objects (one parsed JSON document per entry, several entries per
    /// object), and a controller applies with server-side apply rather than reading them; whether a manager
    /// touched an object is still answered from the cache.
    /// </summary>
    public static KubernetesObject TrimManagedFields(KubernetesObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Metadata.ManagedFields is not { Count: > 0 } entries || !entries.Any(e => e.FieldsV1 is not null))
        {
            return value;
        }

        return value with
        {
            Metadata = value.Metadata with
            {
                ManagedFields = [.. entries.Select(e => e.FieldsV1 is null ? e : e with { FieldsV1 = null })],
            },
        };
    }
}
