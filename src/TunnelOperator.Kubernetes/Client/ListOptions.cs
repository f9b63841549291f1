namespace TunnelOperator.Kubernetes.Client;

/// <summary>Query parameters of a list call (meta/v1 ListOptions).</summary>
public sealed record ListOptions
{
    /// <summary>E.g. <c>app=edge,tier in (a,b)</c>; build one with <see cref="Selectors.LabelSelectorBuilder"/>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>E.g. <c>metadata.name=x</c>, <c>status.phase!=Running</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size; the server returns a <c>continue</c> token when more remain.</summary>
    public int? Limit { get; init; }

    /// <summary>The token from the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>
    /// Unset: the latest, read from storage (consistent). <c>"0"</c>: any version, typically from
    /// the watch cache (cheaper, possibly stale). See API concepts, "Resource versions".
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary><c>NotOlderThan</c> or <c>Exact</c>, qualifying <see cref="ResourceVersion"/>.</summary>
    public string? ResourceVersionMatch { get; init; }
}
