namespace TunnelOperator.Store;

/// <summary>
/// Rules for tunnel names. A name becomes the first part of a DNS label
/// (<c>&lt;name&gt;-&lt;slug&gt;.&lt;base host&gt;</c>), so it follows the host name rules of
/// RFC 1123 §2.1 (as amended from RFC 952): 1–63 characters of letters, digits and '-', starting
/// and ending with a letter or digit. Only lowercase letters are accepted: DNS compares case
/// insensitively, so 'Laptop' and 'laptop' would be the same host and must not be two tunnels.
/// </summary>
public static class TunnelNames
{
    /// <summary>The longest DNS label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// True when <paramref name="name"/> is a valid tunnel name; otherwise <paramref name="problem"/>
    /// says what is wrong with it and what to use instead.
    /// </summary>
    public static bool TryValidateName(string name, out string problem)
    {
        if (string.IsNullOrEmpty(name))
        {
            problem = "a tunnel name is required: use 1 to 63 lowercase letters, digits or '-', e.g. 'laptop'";
            return false;
        }

        var quoted = UserText.Quote(name);
        var suggestion = Suggest(name);
        var instead = suggestion is null ? "e.g. 'laptop'" : $"e.g. '{suggestion}'";
        if (name.Length > MaxLabelLength)
        {
            problem = $"tunnel name {quoted} is {name.Length} characters long, but a DNS label holds at most {MaxLabelLength}; use a shorter name, {instead}";
            return false;
        }

        var bad = name.Where(c => !IsLabelChar(c)).ToList();
        var upper = bad.Any(char.IsAsciiLetterUpper);
        var others = bad.Where(c => !char.IsAsciiLetterUpper(c)).ToList();
        if (others.Count == 0 && upper)
        {
            var lower = name.ToLowerInvariant();
            problem = $"tunnel name {quoted} has uppercase letters, but tunnel names are lowercase only (DNS ignores case); "
                + (IsDnsLabel(lower) ? $"use '{lower}' instead" : $"use a lowercase name, {instead}");
            return false;
        }

        if (others.Count > 0)
        {
            problem = $"tunnel name {quoted} contains {UserText.DescribeAll(others)}{(upper ? " and uppercase letters" : string.Empty)}, "
                + $"but only lowercase letters a-z, digits 0-9 and '-' are allowed; {instead}";
            return false;
        }

        if (name[0] == '-' || name[^1] == '-')
        {
            problem = $"tunnel name {quoted} {(name[0] == '-' ? "starts" : "ends")} with '-', but a DNS label must start and end with a letter or digit; {instead}";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>True for 1–63 characters of [a-z0-9-] that neither start nor end with '-'.</summary>
    internal static bool IsDnsLabel(string label) =>
        label.Length is > 0 and <= MaxLabelLength
        && label[0] != '-'
        && label[^1] != '-'
        && label.All(IsLabelChar);

    /// <summary>
    /// The closest valid name: lowercased, every other character turned into '-', runs of '-'
    /// collapsed, trimmed to a label; null when nothing usable is left.
    /// </summary>
    internal static string? Suggest(string name)
    {
        var chars = new char[name.Length];
        var length = 0;
        foreach (var c in name.ToLowerInvariant())
        {
            var mapped = IsLabelChar(c) ? c : '-';
            if (mapped == '-' && (length == 0 || chars[length - 1] == '-'))
            {
                continue;
            }

            chars[length++] = mapped;
        }

        var suggestion = new string(chars, 0, Math.Min(length, MaxLabelLength)).Trim('-');
        return suggestion.Length == 0 ? null : suggestion;
    }

    private static bool IsLabelChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-';
}
