using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>String, format and number checks (kube-openapi validate/validator.go, validate/formats.go).</summary>
public static partial class SchemaValidator
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly ConcurrentDictionary<string, Regex?> Patterns = new(StringComparer.Ordinal);

    /// <summary>
    /// Compiles a CRD pattern. CRD patterns are ECMA 262 in the API but compiled by Go's RE2 upstream; .NET's
    /// ECMAScript mode gives the same ASCII meaning of \d and \w, and Go's (?P&lt;name&gt;) and \pL spellings are
    /// rewritten. Lookaround and backreferences, which RE2 rejects, are refused here too. Null when invalid.
    /// </summary>
    internal static Regex? CompilePattern(string pattern) => Patterns.GetOrAdd(pattern, static p =>
    {
        if (Re2Unsupported().IsMatch(p))
        {
            return null;
        }

        var translated = p.Replace("(?P<", "(?<", StringComparison.Ordinal);
        translated = GoUnicodeClass().Replace(translated, m => $"\\{m.Groups[1].Value}{{{m.Groups[2].Value}}}");
        try
        {
            return new Regex(translated, RegexOptions.ECMAScript, PatternTimeout);
        }
        catch (ArgumentException)
        {
            try
            {
                // ECMAScript mode refuses some RE2 syntax (e.g. Unicode classes); fall back to the default dialect.
                return new Regex(translated, RegexOptions.CultureInvariant, PatternTimeout);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    });

    [GeneratedRegex(@"\(\?[=!]|\(\?<[=!]|\\[1-9]")]
    private static partial Regex Re2Unsupported();

    [GeneratedRegex(@"\\([pP])([A-Za-z])(?![A-Za-z{])")]
    private static partial Regex GoUnicodeClass();

    private sealed partial class Walker
    {
        private void CheckString(string s, JsonNode? value, StructuralSchema schema, string name)
        {
            // Lengths are in runes (utf8.RuneCountInString).
            var runes = s.EnumerateRunes().Count();
            if (schema.MaxLength is { } max && runes > max)
            {
                errors.Add(FieldError.TooLong(Field(name), max));
            }

            if (schema.MinLength is { } min && runes < min)
            {
                Invalid(name, value, $"{Subject(name)} should be at least {min} chars long");
            }

            if (schema.Pattern is { } pattern && CompilePattern(pattern) is { } regex)
            {
                bool matched;
                try
                {
                    matched = regex.IsMatch(s);
                }
                catch (RegexMatchTimeoutException)
                {
                    matched = false;
                }

                if (!matched)
                {
                    Invalid(name, value, $"{Subject(name)} should match '{pattern}'");
                }
            }
        }

        private void CheckFormat(string s, JsonNode? value, StructuralSchema schema, string name)
        {
            if (schema.Format is not { } format || Formats.IsValid(format, s))
            {
                return;
            }

            errors.Add(FieldError.TypeInvalid(Field(name), value, $"{Subject(name)} must be of type {format}: {GoText.Quote(s)}"));
        }

        private void CheckNumber(JsonValue value, JsonKind kind, StructuralSchema schema, string name)
        {
            var isInt = kind == JsonKind.Integer;
            JsonNodes.TryGetInt64(value, out var l);
            var d = JsonNodes.GetDouble(value);

            if (schema.Format == "int32" && isInt && (l < int.MinValue || l > int.MaxValue))
            {
                errors.Add(FieldError.TypeInvalid(Field(name), value, $"{Subject(name)} must be of type int32: {GoText.Quote(l.ToString(CultureInfo.InvariantCulture))}"));
            }

            // Bounds print as integers when both the value and the bound are integral (MaximumNativeType).
            string Bound(double bound) => isInt && double.IsInteger(bound) ? ((long)bound).ToString(CultureInfo.InvariantCulture) : GoText.Float(bound);

            if (schema.MultipleOf is { } factor && factor > 0)
            {
                var multiple = isInt && double.IsInteger(factor) ? l % (long)factor == 0 : double.IsInteger(Math.Round(d / factor, 12));
                if (!multiple)
                {
                    Invalid(name, value, $"{Subject(name)} should be a multiple of {Bound(factor)}");
                }
            }

            if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? d >= max : d > max))
            {
                var rule = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
                Invalid(name, value, $"{Subject(name)} should be {rule} {Bound(max)}");
            }

            if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? d <= min : d < min))
            {
                var rule = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
                Invalid(name, value, $"{Subject(name)} should be {rule} {Bound(min)}");
            }
        }
    }

    /// <summary>
    /// The formats Kubernetes keeps for CRDs (apiextensions validation/formats.go supportedFormats); any other
    /// format is stripped before validation, so it accepts anything. int32/int64/float/double are number formats
    /// the type check handles.
    /// </summary>
    internal static partial class Formats
    {
        public static bool IsValid(string format, string s) => format switch
        {
            "uri" => IsUri(s),
            "email" => Email().IsMatch(s),
            "hostname" => IsHostname(s),
            "ipv4" => IPAddress.TryParse(s, out var a4) && a4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && Ipv4().IsMatch(s),
            "ipv6" => s.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(s, out var a6) && a6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
            "cidr" => IsCidr(s),
            "mac" => Mac().IsMatch(s),
            "uuid" => Uuid().IsMatch(s),
            "uuid3" => Uuid3().IsMatch(s),
            "uuid4" => Uuid4().IsMatch(s),
            "uuid5" => Uuid5().IsMatch(s),
            "byte" => IsBase64(s),
            "date" => DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "date-time" or "datetime" => IsDateTime(s),
            "duration" => Duration().IsMatch(s),
            "hexcolor" => HexColor().IsMatch(s),
            "rgbcolor" => RgbColor().IsMatch(s),
            "bsonobjectid" => BsonObjectId().IsMatch(s),
            "isbn" => Isbn10().IsMatch(s) || Isbn13().IsMatch(s),
            "isbn10" => Isbn10().IsMatch(s),
            "isbn13" => Isbn13().IsMatch(s),
            "ssn" => Ssn().IsMatch(s),
            "creditcard" => CreditCard().IsMatch(s),
            _ => true,
        };

        // Go's url.ParseRequestURI: an absolute URI with a scheme, or an absolute path.
        private static bool IsUri(string s) =>
            s.Length > 0 && (s[0] == '/' || Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme.Length > 0) && !s.Any(char.IsWhiteSpace);

        // strfmt.IsHostname: RFC 1123 labels, at most 255 characters.
        private static bool IsHostname(string s) => s.Length <= 255 && Hostname().IsMatch(s);

        private static bool IsCidr(string s)
        {
            var slash = s.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && IPNetwork.TryParse(s, out _) || slash > 0 && IPAddress.TryParse(s[..slash], out var ip)
                && int.TryParse(s[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
                && bits <= (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        private static bool IsBase64(string s)
        {
            var buffer = new byte[(s.Length * 3 / 4) + 3];
            return Convert.TryFromBase64String(s, buffer, out _) && !s.Any(char.IsWhiteSpace);
        }

        // strfmt date-time: RFC 3339 with optional fraction and a Z or numeric offset.
        private static bool IsDateTime(string s) =>
            DateTimeRfc3339().IsMatch(s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

        [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")]
        private static partial Regex Email();

        [GeneratedRegex(@"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$")]
        private static partial Regex Hostname();

        [GeneratedRegex(@"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")]
        private static partial Regex Ipv4();

        [GeneratedRegex(@"^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$|^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$")]
        private static partial Regex Mac();

        [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", RegexOptions.IgnoreCase)]
        private static partial Regex Uuid();

        [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$", RegexOptions.IgnoreCase)]
        private static partial Regex Uuid3();

        [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$", RegexOptions.IgnoreCase)]
        private static partial Regex Uuid4();

        [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$", RegexOptions.IgnoreCase)]
        private static partial Regex Uuid5();

        [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
        private static partial Regex DateTimeRfc3339();

        // strfmt.ParseDuration: Go durations and "N unit" forms (e.g. "3 days").
        [GeneratedRegex(@"^(((\d+)\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+|(\d+)\s*(nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|ns|us|ms|s|m|h|d|w))$")]
        private static partial Regex Duration();

        [GeneratedRegex(@"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
        private static partial Regex HexColor();

        [GeneratedRegex(@"^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$")]
        private static partial Regex RgbColor();

        [GeneratedRegex(@"^[0-9a-fA-F]{24}$")]
        private static partial Regex BsonObjectId();

        [GeneratedRegex(@"^(?:[0-9]{9}X|[0-9]{10})$")]
        private static partial Regex Isbn10();

        [GeneratedRegex(@"^(?:[0-9]{13})$")]
        private static partial Regex Isbn13();

        [GeneratedRegex(@"^\d{3}[- ]?\d{2}[- ]?\d{4}$")]
        private static partial Regex Ssn();

        [GeneratedRegex(@"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$")]
        private static partial Regex CreditCard();
    }

}
