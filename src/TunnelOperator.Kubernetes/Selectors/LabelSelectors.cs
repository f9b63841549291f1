using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Selectors;

/// <summary>meta/v1 LabelSelector as a query string, and evaluated against labels (for caches and fakes).</summary>
public static class LabelSelectors
{
    /// <summary>The selector string for list/watch calls, e.g. a Deployment's <c>spec.selector</c>.</summary>
    public static string ToSelectorString(this LabelSelector selector) => new LabelSelectorBuilder().Selector(selector).Build();

    /// <summary>Whether labels satisfy every requirement (matchLabels and matchExpressions are ANDed; empty matches all).</summary>
    public static bool Matches(this LabelSelector selector, IReadOnlyDictionary<string, string>? labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var present = labels.TryGetValue(requirement.Key, out var actual);
            var values = requirement.Values ?? [];
            var holds = requirement.Operator switch
            {
                LabelSelectorRequirement.In => present && values.Contains(actual!),
                // NotIn also matches objects without the label, as in apimachinery.
                LabelSelectorRequirement.NotIn => !present || !values.Contains(actual!),
                LabelSelectorRequirement.Exists => present,
                LabelSelectorRequirement.DoesNotExist => !present,
                _ => throw new ArgumentException($"'{requirement.Operator}' is not a label selector operator", nameof(selector)),
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }
}
