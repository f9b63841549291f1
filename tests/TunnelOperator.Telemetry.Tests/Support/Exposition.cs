using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TunnelOperator.Telemetry.Tests.Support;

internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

internal sealed class Family(string name, string type)
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    public string? Help { get; set; }
    public List<Sample> Samples { get; } = [];

    /// <summary>The one sample with exactly these labels (and this sample name, default the family's).</summary>
    public double Value(string? sampleName = null, params (string Name, string Value)[] labels)
    {
        var matches = Samples.Where(s => s.Name == (sampleName ?? Name) && SameLabels(s.Labels, labels)).ToList();
        Assert.True(matches.Count == 1, $"expected one {sampleName ?? Name} sample with labels [{string.Join(",", labels)}], found {matches.Count}");
        return matches[0].Value;
    }

    public double Value(params (string Name, string Value)[] labels) => Value(null, labels);

    private static bool SameLabels(IReadOnlyDictionary<string, string> actual, (string Name, string Value)[] expected) =>
        actual.Count == expected.Length && expected.All(e => actual.TryGetValue(e.Name, out var v) && v == e.Value);
}

/// <summary>
/// A deliberately strict reader of the Prometheus text format 0.0.4: it fails the test on
/// anything the format does not allow and on anything our exporter should never emit
/// (comments, untyped samples, duplicate series, inconsistent histograms).
/// </summary>
internal static partial class Exposition
{
    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex FloatLiteral();

    public static Dictionary<string, Family> Parse(string text)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var seenSeries = new HashSet<string>(StringComparer.Ordinal);
        Family? current = null;

        Assert.True(text.Length == 0 || text.EndsWith('\n'), "exposition must end with a line feed");
        var lines = text.Length == 0 ? [] : text[..^1].Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var where = $"line {n + 1}: '{line}'";
            Assert.False(line.Length == 0, $"{where}: empty lines are not emitted");

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                Assert.True(space > 0, $"{where}: HELP without text");
                var name = rest[..space];
                Assert.Matches(MetricName(), name);
                Assert.False(helps.ContainsKey(name), $"{where}: second HELP for {name}");
                Assert.False(families.ContainsKey(name), $"{where}: HELP after the family's TYPE");
                helps[name] = UnescapeHelp(rest[(space + 1)..], where);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.True(parts.Length == 4, $"{where}: TYPE needs a name and a type");
                Assert.Matches(MetricName(), parts[2]);
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram" });
                Assert.False(families.ContainsKey(parts[2]), $"{where}: second TYPE for {parts[2]}");
                current = new Family(parts[2], parts[3]) { Help = helps.GetValueOrDefault(parts[2]) };
                families.Add(current.Name, current);
                continue;
            }

            Assert.False(line.StartsWith('#'), $"{where}: unexpected comment");
            var sample = ParseSample(line, where);
            Assert.True(current is not null, $"{where}: sample before any TYPE");
            Assert.True(BelongsTo(sample, current!), $"{where}: sample does not belong to family {current!.Name} ({current.Type})");
            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            Assert.True(seenSeries.Add(key), $"{where}: duplicate series {key}");
            current!.Samples.Add(sample);
        }

        foreach (var name in helps.Keys)
        {
            Assert.True(families.ContainsKey(name), $"HELP for {name} without a TYPE");
        }

        foreach (var family in families.Values)
        {
            Assert.NotEmpty(family.Samples);
            if (family.Type == "histogram")
            {
                CheckHistogram(family);
            }
        }

        return families;
    }

    private static bool BelongsTo(Sample sample, Family family) => family.Type switch
    {
        "histogram" => sample.Name == family.Name + "_bucket" ? sample.Labels.ContainsKey("le")
            : (sample.Name == family.Name + "_sum" || sample.Name == family.Name + "_count") && !sample.Labels.ContainsKey("le"),
        _ => sample.Name == family.Name,
    };

    /// <summary>Per label set: increasing bounds, non-decreasing cumulative counts, +Inf = _count, a _sum.</summary>
    private static void CheckHistogram(Family family)
    {
        static string Key(Sample s) => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

        foreach (var series in family.Samples.GroupBy(Key))
        {
            var buckets = series.Where(s => s.Name == family.Name + "_bucket").ToList();
            var bounds = buckets.Select(b => ParseValue(b.Labels["le"], "le")).ToList();
            Assert.NotEmpty(buckets);
            Assert.True(double.IsPositiveInfinity(bounds[^1]), $"{family.Name}{{{series.Key}}}: last bucket must be +Inf");
            for (var i = 1; i < buckets.Count; i++)
            {
                Assert.True(bounds[i] > bounds[i - 1], $"{family.Name}{{{series.Key}}}: bucket bounds must increase");
                Assert.True(buckets[i].Value >= buckets[i - 1].Value, $"{family.Name}{{{series.Key}}}: buckets must be cumulative");
            }

            Assert.Equal(buckets[^1].Value, series.Single(s => s.Name == family.Name + "_count").Value);
            Assert.Single(series, s => s.Name == family.Name + "_sum");
        }
    }

    private static Sample ParseSample(string line, string where)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        Assert.True(MetricName().IsMatch(name), $"{where}: bad metric name '{name}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                Assert.True(i < line.Length, $"{where}: unterminated label set");
                if (line[i] == '}')
                {
                    i++;
                    break;
                }

                var eq = line.IndexOf('=', i);
                Assert.True(eq > i, $"{where}: label without '='");
                var labelName = line[i..eq];
                Assert.True(LabelName().IsMatch(labelName), $"{where}: bad label name '{labelName}'");
                Assert.False(labelName.StartsWith("__", StringComparison.Ordinal), $"{where}: reserved label name '{labelName}'");
                i = eq + 1;
                Assert.True(i < line.Length && line[i] == '"', $"{where}: label value must be quoted");
                i++;
                var value = new StringBuilder();
                while (true)
                {
                    Assert.True(i < line.Length, $"{where}: unterminated label value");
                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        Assert.True(i < line.Length, $"{where}: dangling escape");
                        value.Append(line[i++] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw new Xunit.Sdk.XunitException($"{where}: bad escape '\\{other}' in label value"),
                        });
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                Assert.True(labels.TryAdd(labelName, value.ToString()), $"{where}: label {labelName} repeated");
                Assert.True(i < line.Length, $"{where}: unterminated label set");
                if (line[i] == ',')
                {
                    i++;
                }
                else
                {
                    Assert.True(line[i] == '}', $"{where}: expected ',' or '}}' after a label");
                }
            }
        }

        Assert.True(i < line.Length && line[i] == ' ', $"{where}: expected one space before the value");
        var fields = line[(i + 1)..].Split(' ');
        Assert.True(fields.Length is 1 or 2, $"{where}: expected a value and an optional timestamp");
        if (fields.Length == 2)
        {
            Assert.True(long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), $"{where}: bad timestamp");
        }

        return new Sample(name, labels, ParseValue(fields[0], where));
    }

    private static double ParseValue(string text, string where) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ when FloatLiteral().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new Xunit.Sdk.XunitException($"{where}: bad value '{text}'"),
    };

    private static string UnescapeHelp(string text, string where)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            Assert.True(i + 1 < text.Length, $"{where}: dangling escape in HELP");
            result.Append(text[++i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                var other => throw new Xunit.Sdk.XunitException($"{where}: bad escape '\\{other}' in HELP"),
            });
        }

        return result.ToString();
    }
}
