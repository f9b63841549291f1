using System.Text.RegularExpressions;

namespace TunnelOperator.Kubernetes.Selectors;

/// <summary>
/// Label key and value syntax (API conventions, "Labels and Selectors"): a value is at most 63
/// characters of <c>[A-Za-z0-9._-]</c>, starting and ending alphanumeric, or empty; a key is a
/// name of that form with an optional DNS-subdomain prefix and <c>/</c>. Checking it keeps a
/// selector string from being bent by a value holding <c>,</c> or <c>=</c>.
/// </summary>
internal static partial class LabelSyntax
{
    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")]
    private static partial Regex Value();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    public static string CheckValue(string value, string key) =>
        value is not null && Value().IsMatch(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a valid value for label '{key}'", nameof(value));

    public static string CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        var valid = name.Length > 0 && Value().IsMatch(name)
            && (prefix is null || (prefix.Length is > 0 and <= 253 && Subdomain().IsMatch(prefix)));
        return valid ? key : throw new ArgumentException($"'{key}' is not a valid label key", nameof(key));
    }
}
