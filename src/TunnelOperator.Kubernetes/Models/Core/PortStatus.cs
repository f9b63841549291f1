namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>The state of one load balancer port.</summary>
public sealed record PortStatus
{
    public int Port { get; init; }

    public string? Protocol { get; init; }

    public string? Error { get; init; }
}
