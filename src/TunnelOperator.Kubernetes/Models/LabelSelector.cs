namespace TunnelOperator.Kubernetes.Models;

/// <summary>
/// A structured label query (meta/v1 LabelSelector): every <see cref="MatchLabels"/> pair and every
/// <see cref="MatchExpressions"/> requirement must hold (they are ANDed). An empty selector matches
/// everything; a null one, where a field allows it, matches nothing.
/// </summary>
public sealed record LabelSelector
{
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }

    public IReadOnlyList<LabelSelectorRequirement>? MatchExpressions { get; init; }
}
