using TunnelOperator.Crds.Generation;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>The observed state of an <see cref="EdgeNode"/>, written by the operator.</summary>
public sealed record EdgeNodeStatus
{
    [Description("Public address of the edge (load balancer IP or hostname) that DNS records for the base host should point at.")]
    public string? Address { get; init; }

    [Description("Edge pods that exist, ready or not.")]
    public int? Replicas { get; init; }

    [Description("Edge pods that pass their readiness check.")]
    public int? ReadyReplicas { get; init; }

    [Description("Label selector of the edge pods, in string form, for the scale subresource and autoscalers.")]
    public string? Selector { get; init; }

    [Description("In-cluster URL of the admin API the operator uses.")]
    public string? AdminEndpoint { get; init; }

    [Description("Latest observations: Ready (serving traffic), Progressing (a rollout is under way) and Degraded (fewer ready replicas than wanted, or the store is unreachable).")]
    [ListMapKeys("type")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }
}
