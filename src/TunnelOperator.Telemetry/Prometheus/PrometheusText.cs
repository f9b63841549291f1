using System.Globalization;
using System.Text;

namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// Name rules and escaping of the Prometheus text exposition format 0.0.4
/// (prometheus.io/docs/instrumenting/exposition_formats).
/// </summary>
internal static class PrometheusText
{
    /// <summary>Metric names: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; anything else becomes '_'.</summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>
    /// Label names: <c>[a-zA-Z_][a-zA-Z0-9_]*</c> (no colon, unlike metric names). Names
    /// beginning "__" are reserved for Prometheus itself, so those get a "key" prefix.
    /// </summary>
    public static string SanitizeLabelName(string name)
    {
        var sanitized = Sanitize(name, allowColon: false);
        return sanitized.StartsWith("__", StringComparison.Ordinal) ? "key" + sanitized : sanitized;
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "_";
        }

        var valid = !char.IsAsciiDigit(name[0]);
        foreach (var c in name)
        {
            valid &= IsNameChar(c, allowColon);
        }

        if (valid)
        {
            return name;
        }

        var text = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            text.Append('_');
        }

        foreach (var c in name)
        {
            text.Append(IsNameChar(c, allowColon) ? c : '_');
        }

        return text.ToString();
    }

    private static bool IsNameChar(char c, bool allowColon) =>
        char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');

    /// <summary>HELP text escapes backslash and line feed.</summary>
    public static void AppendEscapedHelp(StringBuilder text, string help)
    {
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static void AppendEscapedLabelValue(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    /// <summary>Shortest round-trip form, with the exposition format's spellings of NaN and infinities.</summary>
    public static void AppendDouble(StringBuilder text, double value)
    {
        if (double.IsNaN(value))
        {
            text.Append("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            text.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            text.Append("-Inf");
        }
        else
        {
            text.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
