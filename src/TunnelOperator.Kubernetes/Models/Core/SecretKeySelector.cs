namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One key of a secret.</summary>
public sealed record SecretKeySelector
{
    public string? Name { get; init; }

    public string? Key { get; init; }

    public bool? Optional { get; init; }
}
