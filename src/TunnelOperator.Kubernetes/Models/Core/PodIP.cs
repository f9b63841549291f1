namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One IP address of a pod.</summary>
public sealed record PodIP
{
    public string? Ip { get; init; }
}
