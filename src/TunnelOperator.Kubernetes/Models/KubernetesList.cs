namespace TunnelOperator.Kubernetes.Models;

/// <summary>Metadata of a list response: its resourceVersion and the token for the next page.</summary>
public sealed record ListMeta
{
    public string? ResourceVersion { get; init; }

    public string? Continue { get; init; }

    public long? RemainingItemCount { get; init; }
}

/// <summary>A list of objects of one kind, as returned by a list call.</summary>
public sealed record KubernetesList<T>
    where T : KubernetesObject
{
    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public ListMeta Metadata { get; init; } = new();

    public IReadOnlyList<T> Items { get; init; } = [];
}
