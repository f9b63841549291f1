using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// Renders values the way Go's fmt does in apiserver messages, so our messages read like the real ones:
/// %q for strings (strconv.Quote), %v for int64/float64/bool (strconv 'g' formatting for floats).
/// </summary>
internal static class GoText
{
    /// <summary>strconv.Quote: double quotes, Go escapes for control characters, printable Unicode kept.</summary>
    public static string Quote(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\a': b.Append("\\a"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\v': b.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        b.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (Rune.IsControl(rune))
                    {
                        b.Append(rune.Value > 0xffff ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(rune.ToString());
                    }

                    break;
            }
        }

        return b.Append('"').ToString();
    }

    /// <summary>
    /// Go's %v of a float64: strconv.FormatFloat(f, 'g', -1, 64), i.e. the shortest digits, in %e form when the
    /// decimal exponent is below -4 or at least 6 (strconv/ftoa.go), with a two-digit exponent (1e+06).
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return "0";
        }

        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        // Split the shortest representation into its digits and decimal point position.
        var ePos = shortest.IndexOfAny(['E', 'e']);
        var mantissa = ePos >= 0 ? shortest[..ePos] : shortest;
        var exp10 = ePos >= 0 ? int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        digits = digits.TrimEnd('0');
        var dp = intPart.Length + exp10 - leadingZeros; // position of the decimal point relative to digits
        var exp = dp - 1;
        var sign = value < 0 ? "-" : "";
        if (exp < -4 || exp >= 6)
        {
            var m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return $"{sign}{m}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }

        if (dp <= 0)
        {
            return sign + "0." + new string('0', -dp) + digits;
        }

        if (dp >= digits.Length)
        {
            return sign + digits + new string('0', dp - digits.Length);
        }

        return sign + digits[..dp] + "." + digits[dp..];
    }

    /// <summary>The bad value part of field.Error.ErrorBody: simple types with %v, strings with %q, the rest as JSON.</summary>
    public static string BadValue(JsonNode? value) => value switch
    {
        null => "\"null\"",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v),
        _ => value.ToJsonString(),
    };

    /// <summary>%v of a decoded JSON number: int64 when the literal is an integer, float64 otherwise.</summary>
    public static string Number(JsonValue v) =>
        JsonNodes.TryGetInt64(v, out var l) ? l.ToString(CultureInfo.InvariantCulture) : Float(JsonNodes.GetDouble(v));
}
