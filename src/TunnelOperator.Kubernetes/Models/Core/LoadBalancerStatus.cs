namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>The addresses a load balancer was given.</summary>
public sealed record LoadBalancerStatus
{
    public IReadOnlyList<LoadBalancerIngress>? Ingress { get; init; }
}
