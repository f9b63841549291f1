namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Serves <c>/scale</c> for the kind, so <c>kubectl scale</c> and a HorizontalPodAutoscaler can
/// drive the replica count without knowing the rest of the spec.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class ScaleSubresourceAttribute(string specReplicasPath, string statusReplicasPath) : Attribute
{
    public string SpecReplicasPath { get; } = specReplicasPath;

    public string StatusReplicasPath { get; } = statusReplicasPath;

    public string? LabelSelectorPath { get; init; }
}
