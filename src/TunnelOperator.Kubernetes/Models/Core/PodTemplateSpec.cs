namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>The pods a workload creates: their metadata and spec.</summary>
public sealed record PodTemplateSpec
{
    public ObjectMeta? Metadata { get; init; }

    public PodSpec? Spec { get; init; }
}
