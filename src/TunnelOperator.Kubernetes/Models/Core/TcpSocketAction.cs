namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A probe by opening a TCP connection.</summary>
public sealed record TcpSocketAction
{
    public IntOrString? Port { get; init; }

    public string? Host { get; init; }
}
