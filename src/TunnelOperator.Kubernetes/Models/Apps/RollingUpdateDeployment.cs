using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Kubernetes.Models.Apps;

/// <summary>Bounds of a rolling update, as counts or percentages.</summary>
public sealed record RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; init; }

    public IntOrString? MaxSurge { get; init; }
}
