namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Which component reported an event (deprecated in favour of reportingComponent).</summary>
public sealed record EventSource
{
    public string? Component { get; init; }

    public string? Host { get; init; }
}
