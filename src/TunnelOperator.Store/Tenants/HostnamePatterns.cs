namespace TunnelOperator.Store.Tenants;

/// <summary>
/// Hostnames and hostname patterns of tenants. A pattern is an exact name
/// (<c>app.alice.example.eu</c>) or a wildcard of exactly one leading label
/// (<c>*.alice.example.eu</c>), which matches one more label and nothing else: not
/// <c>alice.example.eu</c>, not <c>a.b.alice.example.eu</c>. Names are compared lowercased,
/// without a trailing dot.
/// </summary>
public static class HostnamePatterns
{
    public const int MaxLength = 253;

    /// <summary>Normalises a hostname or pattern; false with a reason when it is not one.</summary>
    public static bool TryNormalize(string? value, out string normalized, out string problem)
    {
        normalized = (value ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        problem = string.Empty;
        if (normalized.Length == 0)
        {
            problem = "a hostname is required";
            return false;
        }

        if (normalized.Length > MaxLength)
        {
            problem = $"hostname '{normalized[..40]}…' is longer than {MaxLength} characters";
            return false;
        }

        var labels = normalized.Split('.');
        if (labels.Length < 2)
        {
            problem = $"'{normalized}' is not a fully qualified hostname (it needs at least two labels, like app.example.com)";
            return false;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (i == 0 && labels[i] == "*")
            {
                if (labels.Length < 3)
                {
                    problem = $"'{normalized}' is too broad: a wildcard needs a parent with at least two labels, like *.example.com";
                    return false;
                }

                continue;
            }

            if (!IsLabel(labels[i]))
            {
                problem = $"'{normalized}' is not a valid hostname: label '{labels[i]}' must be 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-' (a '*' may only be the whole first label)";
                return false;
            }
        }

        return true;
    }

    public static bool IsWildcard(string pattern) => pattern.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="pattern"/> covers <paramref name="name"/> (both normalised). A
    /// wildcard name is covered by the same wildcard only.
    /// </summary>
    public static bool Covers(string pattern, string name)
    {
        if (string.Equals(pattern, name, StringComparison.Ordinal))
        {
            return true;
        }

        if (!IsWildcard(pattern) || IsWildcard(name))
        {
            return false;
        }

        var parent = pattern.AsSpan(1); // ".alice.example.eu"
        if (!name.AsSpan().EndsWith(parent, StringComparison.Ordinal))
        {
            return false;
        }

        var label = name.AsSpan(0, name.Length - parent.Length);
        return label.Length > 0 && !label.Contains('.');
    }

    /// <summary>The wildcard that would cover <paramref name="name"/> (<c>*.parent</c>), or null for a two-label name.</summary>
    public static string? WildcardOver(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 || name.IndexOf('.', dot + 1) < 0 ? null : "*" + name[dot..];
    }

    /// <summary>Parses a comma-separated list of patterns.</summary>
    public static bool TryParseList(string? list, out IReadOnlyList<string> patterns, out string problem)
    {
        var result = new List<string>();
        foreach (var item in (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryNormalize(item, out var pattern, out problem))
            {
                patterns = [];
                return false;
            }

            if (!result.Contains(pattern))
            {
                result.Add(pattern);
            }
        }

        patterns = result;
        problem = string.Empty;
        return true;
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
