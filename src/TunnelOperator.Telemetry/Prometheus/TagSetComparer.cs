namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// Compares a stored <see cref="TagSet"/> with the tag span of a measurement in flight, so
/// the record path finds its series through a dictionary alternate lookup without copying
/// the tags or allocating.
/// </summary>
internal sealed class TagSetComparer :
    IEqualityComparer<TagSet>,
    IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
{
    public static readonly TagSetComparer Instance = new();

    /// <summary>Order-insensitive: a sum of per-pair hashes.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash = unchecked(hash + HashCode.Combine(tag.Key is null ? 0 : StringComparer.Ordinal.GetHashCode(tag.Key), tag.Value?.GetHashCode() ?? 0));
        }

        return hash;
    }

    public bool Equals(TagSet? x, TagSet? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.Hash == y.Hash && SameTags(x.Tags, y.Tags));

    public int GetHashCode(TagSet obj) => obj.Hash;

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other) => SameTags(alternate, other.Tags);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => HashOf(alternate);

    public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => new(alternate.ToArray());

    private static bool SameTags(ReadOnlySpan<KeyValuePair<string, object?>> x, ReadOnlySpan<KeyValuePair<string, object?>> y) =>
        x.Length == y.Length && Contains(x, y) && Contains(y, x);

    /// <summary>Every pair of <paramref name="inner"/> occurs in <paramref name="outer"/>. Tag sets are small; quadratic is cheapest.</summary>
    private static bool Contains(ReadOnlySpan<KeyValuePair<string, object?>> outer, ReadOnlySpan<KeyValuePair<string, object?>> inner)
    {
        foreach (var wanted in inner)
        {
            var found = false;
            foreach (var candidate in outer)
            {
                if (string.Equals(candidate.Key, wanted.Key, StringComparison.Ordinal) && Equals(candidate.Value, wanted.Value))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
