namespace TunnelOperator.Kubernetes.Models.Apps;

/// <summary>How old pods are replaced.</summary>
public sealed record DeploymentStrategy
{
    /// <summary><c>RollingUpdate</c> (default) or <c>Recreate</c>.</summary>
    public string? Type { get; init; }

    public RollingUpdateDeployment? RollingUpdate { get; init; }
}
