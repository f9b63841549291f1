namespace TunnelOperator.Kubernetes.Models;

/// <summary>The fields every Kubernetes object has: its type and its metadata.</summary>
public abstract record KubernetesObject
{
    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public ObjectMeta Metadata { get; init; } = new();
}
