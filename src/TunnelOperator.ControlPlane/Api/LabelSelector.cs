using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>
/// A parsed label selector in the string syntax of <c>?labelSelector=</c> (apimachinery labels.Parse):
/// <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c> (exists), <c>!a</c>.
/// Requirements are ANDed.
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r =>
    {
        var has = labels.TryGetValue(r.Key, out var value);
        return r.Op switch
        {
            Op.Equals => has && value == r.Values[0],
            Op.NotEquals => !has || value != r.Values[0],
            Op.In => has && r.Values.Contains(value!),
            Op.NotIn => !has || !r.Values.Contains(value!),
            Op.Exists => has,
            _ => !has,
        };
    });

    /// <summary>Parses the query form; returns an error message in the wording of labels.Parse on failure.</summary>
    public static LabelSelector? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        var pos = 0;
        while (pos < text.Length)
        {
            SkipSpaces(text, ref pos);
            var negate = false;
            if (pos < text.Length && text[pos] == '!')
            {
                negate = true;
                pos++;
                SkipSpaces(text, ref pos);
            }

            var key = ReadWord(text, ref pos);
            if (key.Length == 0)
            {
                error = $"unable to parse requirement: found '{(pos < text.Length ? text[pos].ToString() : "")}', expected: identifier";
                return null;
            }

            if (KeyError(key) is { } keyError)
            {
                error = $"unable to parse requirement: {keyError}";
                return null;
            }

            SkipSpaces(text, ref pos);
            if (negate)
            {
                requirements.Add(new Requirement(key, Op.DoesNotExist, []));
            }
            else if (pos >= text.Length || text[pos] == ',')
            {
                requirements.Add(new Requirement(key, Op.Exists, []));
            }
            else if (text[pos] == '=' || text[pos] == '!')
            {
                var op = Op.Equals;
                if (text[pos] == '!')
                {
                    if (pos + 1 >= text.Length || text[pos + 1] != '=')
                    {
                        error = "unable to parse requirement: found '!', expected: '='";
                        return null;
                    }

                    op = Op.NotEquals;
                    pos += 2;
                }
                else
                {
                    pos += pos + 1 < text.Length && text[pos + 1] == '=' ? 2 : 1;
                }

                SkipSpaces(text, ref pos);
                var value = ReadWord(text, ref pos);
                if (ValueError(value) is { } valueError)
                {
                    error = $"unable to parse requirement: {valueError}";
                    return null;
                }

                requirements.Add(new Requirement(key, op, [value]));
            }
            else
            {
                var word = ReadWord(text, ref pos);
                var op = word switch { "in" => Op.In, "notin" => Op.NotIn, _ => (Op?)null };
                if (op is null)
                {
                    error = $"unable to parse requirement: found '{word}', expected: in, notin, =, ==, !=, gt, lt";
                    return null;
                }

                SkipSpaces(text, ref pos);
                if (pos >= text.Length || text[pos] != '(')
                {
                    error = "unable to parse requirement: found '', expected: '('";
                    return null;
                }

                var close = text.IndexOf(')', pos);
                if (close < 0)
                {
                    error = "unable to parse requirement: found '', expected: ')'";
                    return null;
                }

                var values = text[(pos + 1)..close].Split(',').Select(v => v.Trim()).ToList();
                pos = close + 1;
                requirements.Add(new Requirement(key, op.Value, values));
            }

            SkipSpaces(text, ref pos);
            if (pos < text.Length)
            {
                if (text[pos] != ',')
                {
                    error = $"unable to parse requirement: found '{text[pos]}', expected: ','";
                    return null;
                }

                pos++;
            }
        }

        return new LabelSelector(requirements);
    }

    private static void SkipSpaces(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
        {
            pos++;
        }
    }

    private static string ReadWord(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && !char.IsWhiteSpace(s[pos]) && s[pos] is not (',' or '=' or '!' or '(' or ')'))
        {
            pos++;
        }

        return s[start..pos];
    }

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Prefix();

    /// <summary>Label key rules (IsQualifiedName): optional DNS-subdomain prefix, a 1–63 character name.</summary>
    public static string? KeyError(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !Prefix().IsMatch(prefix))
            {
                return $"prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
            }
        }

        if (name.Length == 0 || name.Length > 63 || !QualifiedName().IsMatch(name))
        {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        }

        return null;
    }

    /// <summary>Label value rules: empty, or up to 63 characters of the qualified-name alphabet.</summary>
    public static string? ValueError(string value) =>
        value.Length == 0 || (value.Length <= 63 && QualifiedName().IsMatch(value))
            ? null
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>Validates <c>metadata.labels</c> as ValidateLabels does.</summary>
    public static IReadOnlyList<FieldError> ValidateLabels(JsonNode? labels, string field)
    {
        var errors = new List<FieldError>();
        if (labels is not JsonObject map)
        {
            return errors;
        }

        foreach (var (k, v) in map)
        {
            if (KeyError(k) is { } keyError)
            {
                errors.Add(FieldError.Invalid(field, k, keyError));
            }

            var value = Meta.Str(v) ?? "";
            if (ValueError(value) is { } valueError)
            {
                errors.Add(FieldError.Invalid($"{field}[{k}]", value, valueError));
            }
        }

        return errors;
    }
}
