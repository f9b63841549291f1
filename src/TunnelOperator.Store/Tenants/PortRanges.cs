using System.Globalization;

namespace TunnelOperator.Store.Tenants;

/// <summary>
/// The ports an invite allows: <c>2222,5353,10000-10100</c>. Empty means any port (the edge
/// still refuses ports below 1024 unless it runs with --allow-privileged-ports).
/// </summary>
public sealed class PortRanges
{
    private readonly List<(int From, int To)> _ranges;

    private PortRanges(List<(int From, int To)> ranges) => _ranges = ranges;

    public static PortRanges Any { get; } = new([]);

    public bool AllowsAny => _ranges.Count == 0;

    public bool Contains(int port) => AllowsAny || _ranges.Exists(r => port >= r.From && port <= r.To);

    public static bool TryParse(string? text, out PortRanges ranges, out string problem)
    {
        var list = new List<(int, int)>();
        foreach (var item in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            var fromText = dash < 0 ? item : item[..dash];
            var toText = dash < 0 ? item : item[(dash + 1)..];
            if (!int.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(toText, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || from is < 1 or > 65535 || to is < 1 or > 65535 || to < from)
            {
                ranges = Any;
                problem = $"'{item}' is not a port or a port range: use 2222 or 10000-10100 (1-65535)";
                return false;
            }

            list.Add((from, to));
        }

        ranges = new PortRanges(list);
        problem = string.Empty;
        return true;
    }

    public override string ToString() =>
        string.Join(',', _ranges.Select(r => r.From == r.To ? r.From.ToString(CultureInfo.InvariantCulture) : $"{r.From}-{r.To}"));
}
