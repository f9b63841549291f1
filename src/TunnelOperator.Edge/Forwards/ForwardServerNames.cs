namespace TunnelOperator.Edge.Forwards;

/// <summary>
/// Forward server IDs: <c>&lt;name&gt;.&lt;user slug&gt;</c>, e.g. <c>db.alice-7f0c</c>. The
/// server picks the name; the edge appends the slug of the user it authenticated. Slugs are
/// unique per user and contain no '.', so an ID names exactly one owner, on every edge and
/// across restarts, and no other user can ever serve it.
/// </summary>
internal static class ForwardServerNames
{
    public const int MaxNameLength = 32;

    public static bool TryValidateName(string name, out string problem)
    {
        problem = string.Empty;
        if (name.Length is 0 or > MaxNameLength
            || name[0] == '-' || name[^1] == '-'
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            problem = $"forward server name '{Printable(name)}' is not valid: use 1 to {MaxNameLength} lowercase letters, digits or '-', not starting or ending with '-', e.g. 'db' or 'cluster-a'";
            return false;
        }

        return true;
    }

    public static string Compose(string name, string userSlug) => $"{name}.{userSlug}";

    private static string Printable(string text)
    {
        var clean = new string([.. text.Take(MaxNameLength + 8).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > clean.Length ? clean + "…" : clean;
    }
}
