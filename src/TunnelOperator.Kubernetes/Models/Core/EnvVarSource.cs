namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Where an environment variable takes its value from.</summary>
public sealed record EnvVarSource
{
    public ConfigMapKeySelector? ConfigMapKeyRef { get; init; }

    public SecretKeySelector? SecretKeyRef { get; init; }

    /// <summary>E.g. <c>metadata.name</c> or <c>status.podIP</c>.</summary>
    public ObjectFieldSelector? FieldRef { get; init; }

    public ResourceFieldSelector? ResourceFieldRef { get; init; }
}
