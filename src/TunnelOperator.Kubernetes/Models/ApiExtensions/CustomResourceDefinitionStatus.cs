namespace TunnelOperator.Kubernetes.Models.ApiExtensions;

/// <summary>Whether a definition is established and which names it was given.</summary>
public sealed record CustomResourceDefinitionStatus
{
    /// <summary><c>Established</c>, <c>NamesAccepted</c>, <c>NonStructuralSchema</c>, <c>Terminating</c>.</summary>
    public IReadOnlyList<Condition>? Conditions { get; init; }

    public CustomResourceDefinitionNames? AcceptedNames { get; init; }

    public IReadOnlyList<string>? StoredVersions { get; init; }
}
