namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One address of a load balancer: an IP or a host name.</summary>
public sealed record LoadBalancerIngress
{
    public string? Ip { get; init; }

    public string? Hostname { get; init; }

    /// <summary><c>VIP</c> or <c>Proxy</c>.</summary>
    public string? IpMode { get; init; }

    public IReadOnlyList<PortStatus>? Ports { get; init; }
}
