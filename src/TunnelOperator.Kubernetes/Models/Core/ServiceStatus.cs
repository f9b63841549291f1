namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>What the cluster has provisioned for a service.</summary>
public sealed record ServiceStatus
{
    public LoadBalancerStatus? LoadBalancer { get; init; }

    public IReadOnlyList<Condition>? Conditions { get; init; }
}
