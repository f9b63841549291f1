using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.JsonPath;

/// <summary>Parsing (modelled on client-go util/jsonpath/parser.go).</summary>
public sealed partial class JsonPathExpression
{
    private sealed class Parser(string text)
    {
        private int _pos;

        private bool AtEnd => _pos >= text.Length;

        private char Peek => text[_pos];

        public List<Step> ParsePath(bool untilCloseParen)
        {
            var steps = new List<Step>();
            if (!AtEnd && (Peek == '$' || Peek == '@'))
            {
                _pos++;
            }

            while (!AtEnd)
            {
                var c = Peek;
                if (untilCloseParen && (c == ')' || c == ' ' || c == '=' || c == '!' || c == '<' || c == '>'))
                {
                    break;
                }

                if (c == '.')
                {
                    if (_pos + 1 < text.Length && text[_pos + 1] == '.')
                    {
                        _pos += 2;
                        steps.Add(new RecursiveStep());
                        // "..name" and "..[0]": the step after the recursion starts right here.
                        if (!AtEnd && Peek != '.' && Peek != '[')
                        {
                            steps.Add(ParseDotName());
                        }

                        continue;
                    }

                    _pos++;
                    if (AtEnd || Peek == '.' || Peek == '[')
                    {
                        // A lone "." is the current object.
                        continue;
                    }

                    steps.Add(ParseDotName());
                }
                else if (c == '[')
                {
                    steps.Add(ParseBracket());
                }
                else if (char.IsWhiteSpace(c) && !untilCloseParen)
                {
                    _pos++;
                }
                else
                {
                    throw new FormatException($"unrecognized character in action: {c} at {_pos} in \"{text}\"");
                }
            }

            return steps;
        }

        private Step ParseDotName()
        {
            if (Peek == '*')
            {
                _pos++;
                return new WildcardStep();
            }

            var name = new StringBuilder();
            while (!AtEnd)
            {
                var c = Peek;
                if (c == '\\' && _pos + 1 < text.Length)
                {
                    // "\." keeps a dot inside a key, as in labels like app\.kubernetes\.io/name.
                    name.Append(text[_pos + 1]);
                    _pos += 2;
                    continue;
                }

                if (c is '.' or '[' or ']' or ')' or '=' or '!' or '<' or '>' or ' ' or '}' or '{' or ',')
                {
                    break;
                }

                name.Append(c);
                _pos++;
            }

            if (name.Length == 0)
            {
                throw new FormatException($"empty field name at {_pos} in \"{text}\"");
            }

            return new FieldStep([name.ToString()]);
        }

        private Step ParseBracket()
        {
            var close = FindClose(_pos);
            var inner = text[(_pos + 1)..close].Trim();
            var start = _pos;
            _pos = close + 1;
            if (inner == "*")
            {
                return new WildcardStep();
            }

            if (inner.StartsWith('?'))
            {
                return ParseFilter(inner, start);
            }

            if (inner.StartsWith('\'') || inner.StartsWith('"'))
            {
                return new FieldStep(SplitUnion(inner).Select(Unquote).ToList());
            }

            var selectors = new List<(int?, int?, int?, bool)>();
            foreach (var part in SplitUnion(inner))
            {
                var pieces = part.Split(':');
                if (pieces.Length > 3 || pieces.Length == 0)
                {
                    throw new FormatException($"invalid array index {part} in \"{text}\"");
                }

                if (pieces.Length == 1)
                {
                    selectors.Add((Int(pieces[0]) ?? throw new FormatException($"invalid array index {part} in \"{text}\""), null, null, false));
                }
                else
                {
                    selectors.Add((Int(pieces[0]), Int(pieces[1]), pieces.Length == 3 ? Int(pieces[2]) : null, true));
                }
            }

            return new IndexStep(selectors);
        }

        private Step ParseFilter(string inner, int at)
        {
            var body = inner[1..].Trim();
            if (!body.StartsWith('(') || !body.EndsWith(')'))
            {
                throw new FormatException($"unclosed filter at {at} in \"{text}\"");
            }

            body = body[1..^1].Trim();
            string[] operators = ["==", "!=", "<=", ">=", "<", ">"];
            var (opIndex, op) = FindOperator(body, operators);
            if (opIndex < 0)
            {
                return new FilterStep(ParseOperand(body), "exists", null);
            }

            return new FilterStep(ParseOperand(body[..opIndex].Trim()), op, ParseOperand(body[(opIndex + op.Length)..].Trim()));
        }

        // The first comparison operator outside quotes and brackets.
        private static (int Index, string Op) FindOperator(string body, string[] operators)
        {
            var depth = 0;
            char? quote = null;
            for (var i = 0; i < body.Length; i++)
            {
                var c = body[i];
                if (quote is { } q)
                {
                    if (c == q)
                    {
                        quote = null;
                    }

                    continue;
                }

                switch (c)
                {
                    case '\'' or '"':
                        quote = c;
                        continue;
                    case '[' or '(':
                        depth++;
                        continue;
                    case ']' or ')':
                        depth--;
                        continue;
                }

                if (depth == 0)
                {
                    foreach (var op in operators)
                    {
                        if (string.CompareOrdinal(body, i, op, 0, op.Length) == 0)
                        {
                            return (i, op);
                        }
                    }
                }
            }

            return (-1, "");
        }

        private static Operand ParseOperand(string s)
        {
            if (s.StartsWith('@') || s.StartsWith('.') || s.StartsWith('$'))
            {
                return new Operand(new Parser(s).ParsePath(untilCloseParen: false), null);
            }

            if (s.StartsWith('\'') || s.StartsWith('"'))
            {
                return new Operand(null, JsonValue.Create(Unquote(s)));
            }

            if (s is "true" or "false")
            {
                return new Operand(null, JsonValue.Create(s == "true"));
            }

            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return new Operand(null, JsonValue.Create(l));
            }

            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return new Operand(null, JsonValue.Create(d));
            }

            throw new FormatException($"unrecognized filter operand {s}");
        }

        private int FindClose(int open)
        {
            var depth = 0;
            char? quote = null;
            for (var i = open; i < text.Length; i++)
            {
                var c = text[i];
                if (quote is { } q)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == q)
                    {
                        quote = null;
                    }

                    continue;
                }

                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '[')
                {
                    depth++;
                }
                else if (c == ']' && --depth == 0)
                {
                    return i;
                }
            }

            throw new FormatException($"unterminated array at {open} in \"{text}\"");
        }

        private static IEnumerable<string> SplitUnion(string inner)
        {
            var parts = new List<string>();
            var current = new StringBuilder();
            char? quote = null;
            foreach (var c in inner)
            {
                if (quote is { } q)
                {
                    current.Append(c);
                    if (c == q)
                    {
                        quote = null;
                    }

                    continue;
                }

                if (c is '\'' or '"')
                {
                    quote = c;
                }

                if (c == ',')
                {
                    parts.Add(current.ToString().Trim());
                    current.Clear();
                    continue;
                }

                current.Append(c);
            }

            parts.Add(current.ToString().Trim());
            return parts;
        }

        private static string Unquote(string s)
        {
            if (s.Length < 2 || s[0] != s[^1] || s[0] is not ('\'' or '"'))
            {
                throw new FormatException($"invalid quoted name {s}");
            }

            var b = new StringBuilder();
            for (var i = 1; i < s.Length - 1; i++)
            {
                if (s[i] == '\\' && i + 1 < s.Length - 1)
                {
                    i++;
                    b.Append(s[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                }
                else
                {
                    b.Append(s[i]);
                }
            }

            return b.ToString();
        }

        private static int? Int(string s)
        {
            s = s.Trim();
            if (s.Length == 0)
            {
                return null;
            }

            return int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : throw new FormatException($"invalid array index {s}");
        }
    }
}
