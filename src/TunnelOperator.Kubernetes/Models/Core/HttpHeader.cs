namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One header a probe sends.</summary>
public sealed record HttpHeader
{
    public string? Name { get; init; }

    public string? Value { get; init; }
}
