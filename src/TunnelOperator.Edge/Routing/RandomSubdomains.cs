using System.Security.Cryptography;

namespace TunnelOperator.Edge.Routing;

/// <summary>
/// Throwaway subdomains of the form <c>&lt;adjective&gt;-&lt;animal&gt;-&lt;NNNN&gt;</c>
/// (24 × 24 × 9000 ≈ 5.2 million names). They are never persisted; the caller checks each
/// candidate against the live registry and draws again on a collision.
/// </summary>
public static class RandomSubdomains
{
    private static readonly string[] Adjectives =
    [
        "amber", "brave", "calm", "clever", "cosmic", "crisp", "eager", "fancy",
        "gentle", "happy", "jolly", "keen", "lucky", "mellow", "nimble", "proud",
        "quick", "quiet", "rapid", "shiny", "sunny", "swift", "tidy", "witty",
    ];

    private static readonly string[] Animals =
    [
        "badger", "bear", "beaver", "bison", "cobra", "crane", "dingo", "eagle",
        "falcon", "ferret", "fox", "gecko", "heron", "ibis", "koala", "lemur",
        "lynx", "marten", "otter", "panda", "quail", "raven", "tiger", "walrus",
    ];

    public static string Next() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Animals[RandomNumberGenerator.GetInt32(Animals.Length)]}-{RandomNumberGenerator.GetInt32(1000, 10000)}";

    /// <summary>True when the label has the shape of a random subdomain (so it can never be a named one).</summary>
    public static bool LooksRandom(string label)
    {
        var parts = label.Split('-');
        return parts.Length == 3
            && Adjectives.Contains(parts[0])
            && Animals.Contains(parts[1])
            && parts[2].Length == 4
            && parts[2].All(char.IsAsciiDigit);
    }
}
