using System.Globalization;
using System.Text;

namespace TunnelOperator.Store;

/// <summary>
/// Quoting what a user typed back to them. Input can be anything (control characters, a
/// megabyte of text), and messages end up in terminals and logs, so it is shown printable and short.
/// </summary>
internal static class UserText
{
    private const int MaxShown = 72;

    public static string Quote(string? text)
    {
        if (text is null)
        {
            return "''";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxShown) + 3);
        builder.Append('\'');
        foreach (var c in text.Length > MaxShown ? text[..MaxShown] : text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        builder.Append(text.Length > MaxShown ? "…'" : "'");
        return builder.ToString();
    }

    /// <summary>One character, named so that invisible ones can be told apart.</summary>
    public static string Describe(char c) => c switch
    {
        ' ' => "a space",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) => $"the character U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}",
        _ => $"'{c}'",
    };

    /// <summary>"'a', '_' and a space": up to four distinct characters, in order of appearance.</summary>
    public static string DescribeAll(IEnumerable<char> chars)
    {
        var distinct = chars.Distinct().ToList();
        var named = distinct.Take(4).Select(Describe).ToList();
        if (distinct.Count > 4)
        {
            named.Add("others");
        }

        return named.Count == 1 ? named[0] : string.Join(", ", named[..^1]) + " and " + named[^1];
    }
}
