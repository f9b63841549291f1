using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models;

/// <summary>How a delete treats the objects that name the deleted one as their owner.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PropagationPolicy>))]
public enum PropagationPolicy
{
    /// <summary>Dependents are left, their owner reference removed.</summary>
    Orphan,

    /// <summary>The owner goes now; the garbage collector deletes dependents afterwards.</summary>
    Background,

    /// <summary>The owner stays (with a deletionTimestamp) until dependents that block it are gone.</summary>
    Foreground,
}
