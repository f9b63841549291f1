using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>
/// <c>?fieldSelector=</c>: <c>field=value</c>, <c>field==value</c>, <c>field!=value</c>, ANDed by commas
/// (apimachinery fields.ParseSelector). Every kind supports metadata.name and metadata.namespace; others
/// come from the kind's strategy, as each registry's GetAttrs does.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static readonly FieldSelector Everything = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The name an exact <c>metadata.name=</c> term pins, if any (a single-object watch uses it).</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in SplitTerms(text))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            int at;
            bool equal;
            int width;
            if ((at = term.IndexOf("!=", StringComparison.Ordinal)) >= 0)
            {
                equal = false;
                width = 2;
            }
            else if ((at = term.IndexOf("==", StringComparison.Ordinal)) >= 0)
            {
                equal = true;
                width = 2;
            }
            else if ((at = term.IndexOf('=', StringComparison.Ordinal)) >= 0)
            {
                equal = true;
                width = 1;
            }
            else
            {
                error = $"invalid selector: '{text}'; can't understand '{term}'";
                return null;
            }

            terms.Add((term[..at].Trim(), equal, Unescape(term[(at + width)..].Trim())));
        }

        return new FieldSelector(terms);
    }

    // Values may escape ',' '=' and '\' with a backslash (fields.EscapeValue).
    private static IEnumerable<string> SplitTerms(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static string Unescape(string value) =>
        value.Replace("\\,", ",", StringComparison.Ordinal).Replace("\\=", "=", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    /// <summary>Checks every field is selectable for the kind; the error is the one kube-apiserver returns.</summary>
    public string? Unsupported(ResourceDefinition def, JsonObject sample)
    {
        foreach (var (field, _, _) in _terms)
        {
            if (field is "metadata.name" or "metadata.namespace")
            {
                continue;
            }

            if (def.Strategy.SelectableField(sample, field) is null)
            {
                return $"field label not supported: {field}";
            }
        }

        return null;
    }

    public bool Matches(ResourceDefinition def, JsonObject obj) => _terms.All(t =>
    {
        var actual = t.Field switch
        {
            "metadata.name" => Meta.Name(obj),
            "metadata.namespace" => Meta.Namespace(obj),
            _ => def.Strategy.SelectableField(obj, t.Field) ?? "",
        };
        return (actual == t.Value) == t.Equal;
    });
}
