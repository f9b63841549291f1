using System.Globalization;
using System.Text;

namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// One series' tags, copied out of the measurement span the first time the combination is
/// seen. Order-insensitive: <c>{a=1,b=2}</c> and <c>{b=2,a=1}</c> are the same series.
/// </summary>
internal sealed class TagSet
{
    public static readonly TagSet Overflow = new([new("otel_metric_overflow", "true")]);

    private readonly KeyValuePair<string, object?>[] _tags;
    private string? _labels;

    public TagSet(KeyValuePair<string, object?>[] tags)
    {
        _tags = tags;
        Hash = TagSetComparer.HashOf(tags);
    }

    public int Hash { get; }

    public ReadOnlySpan<KeyValuePair<string, object?>> Tags => _tags;

    /// <summary>
    /// The rendered label pairs without braces (<c>a="1",b="2"</c>, sorted by name), computed
    /// once. A tag set belongs to one instrument, so <paramref name="reserveLe"/> is the same on
    /// every call for a given instance.
    /// </summary>
    public string Labels(bool reserveLe) => _labels ??= Render(_tags, reserveLe);

    private static string Render(KeyValuePair<string, object?>[] tags, bool reserveLe)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var pairs = new (string Name, string Value)[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            var name = PrometheusText.SanitizeLabelName(tags[i].Key);
            if (reserveLe && name == "le")
            {
                // "le" carries the bucket bound on histogram samples.
                name = "_le";
            }

            pairs[i] = (name, ValueText(tags[i].Value));
        }

        Array.Sort(pairs, static (x, y) => string.CompareOrdinal(x.Name, y.Name));
        var text = new StringBuilder();
        string? previous = null;
        foreach (var (name, value) in pairs)
        {
            if (name == previous)
            {
                continue; // two tags that sanitise to one label name: the first wins
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"");
            PrometheusText.AppendEscapedLabelValue(text, value);
            text.Append('"');
            previous = name;
        }

        return text.ToString();
    }

    private static string ValueText(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
