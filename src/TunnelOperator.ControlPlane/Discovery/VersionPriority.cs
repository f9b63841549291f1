using System.Globalization;
using System.Text.RegularExpressions;

namespace TunnelOperator.ControlPlane.Discovery;

/// <summary>
/// Kubernetes version ordering (apimachinery version.CompareKubeAwareVersionStrings): GA before beta before
/// alpha, higher numbers first, non-Kubernetes-looking versions last in lexical order. The first is preferred.
/// </summary>
internal sealed partial class VersionPriority : IComparer<string>
{
    public static readonly VersionPriority Instance = new();

    [GeneratedRegex("^v(\\d+)(?:(alpha|beta)(\\d+))?$")]
    private static partial Regex KubeVersion();

    public int Compare(string? x, string? y)
    {
        var a = Rank(x ?? "");
        var b = Rank(y ?? "");
        var c = b.Class.CompareTo(a.Class);
        if (c != 0)
        {
            return c;
        }

        if (a.Class == 0)
        {
            return string.CompareOrdinal(x, y);
        }

        c = b.Major.CompareTo(a.Major);
        return c != 0 ? c : b.Minor.CompareTo(a.Minor);
    }

    private static (int Class, long Major, long Minor) Rank(string v)
    {
        var m = KubeVersion().Match(v);
        if (!m.Success)
        {
            return (0, 0, 0);
        }

        var major = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = m.Groups[3].Success ? long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        return (m.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 }, major, minor);
    }
}
