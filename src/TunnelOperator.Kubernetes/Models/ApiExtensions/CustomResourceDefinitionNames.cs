namespace TunnelOperator.Kubernetes.Models.ApiExtensions;

/// <summary>How a custom kind is named in URLs, manifests and kubectl.</summary>
public sealed record CustomResourceDefinitionNames
{
    public string? Plural { get; init; }

    public string? Singular { get; init; }

    public string? Kind { get; init; }

    public string? ListKind { get; init; }

    public IReadOnlyList<string>? ShortNames { get; init; }

    public IReadOnlyList<string>? Categories { get; init; }
}
