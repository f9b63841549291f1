using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Selectors;

/// <summary>
/// Builds a label selector string for list and watch calls: <c>app=edge,tier in (a,b),!legacy</c>.
/// Keys and values are checked against the label syntax, so the result is always well formed.
/// </summary>
public sealed class LabelSelectorBuilder
{
    private readonly List<(string Key, string Text)> _requirements = [];

    public LabelSelectorBuilder Equal(string key, string value) =>
        Add(key, $"{LabelSyntax.CheckKey(key)}={LabelSyntax.CheckValue(value, key)}");

    public LabelSelectorBuilder NotEqual(string key, string value) =>
        Add(key, $"{LabelSyntax.CheckKey(key)}!={LabelSyntax.CheckValue(value, key)}");

    public LabelSelectorBuilder In(string key, params IEnumerable<string> values) => Add(key, Set(key, "in", values));

    public LabelSelectorBuilder NotIn(string key, params IEnumerable<string> values) => Add(key, Set(key, "notin", values));

    public LabelSelectorBuilder Exists(string key) => Add(key, LabelSyntax.CheckKey(key));

    public LabelSelectorBuilder DoesNotExist(string key) => Add(key, "!" + LabelSyntax.CheckKey(key));

    /// <summary>Every pair must be present with that value.</summary>
    public LabelSelectorBuilder Labels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (key, value) in labels)
        {
            Equal(key, value);
        }

        return this;
    }

    /// <summary>The requirements of a meta/v1 LabelSelector.</summary>
    public LabelSelectorBuilder Selector(LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (selector.MatchLabels is not null)
        {
            Labels(selector.MatchLabels);
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            _ = requirement.Operator switch
            {
                LabelSelectorRequirement.In => In(requirement.Key, requirement.Values ?? []),
                LabelSelectorRequirement.NotIn => NotIn(requirement.Key, requirement.Values ?? []),
                LabelSelectorRequirement.Exists => Exists(requirement.Key),
                LabelSelectorRequirement.DoesNotExist => DoesNotExist(requirement.Key),
                _ => throw new ArgumentException($"'{requirement.Operator}' is not a label selector operator", nameof(selector)),
            };
        }

        return this;
    }

    /// <summary>The selector string, requirements ordered by key as apimachinery prints them; empty matches everything.</summary>
    public string Build() => string.Join(",", _requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));

    public override string ToString() => Build();

    private LabelSelectorBuilder Add(string key, string text)
    {
        _requirements.Add((key, text));
        return this;
    }

    private static string Set(string key, string op, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.Select(v => LabelSyntax.CheckValue(v, key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"'{op}' on label '{key}' needs at least one value", nameof(values));
        }

        return $"{LabelSyntax.CheckKey(key)} {op} ({string.Join(",", list)})";
    }
}
