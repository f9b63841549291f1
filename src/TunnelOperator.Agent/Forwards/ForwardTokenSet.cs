using System.Security.Cryptography;

namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// The auth tokens a forward server accepts. Only their SHA-256 digests are kept (the keys of
/// <see cref="ForwardProof"/>), and a presented proof is compared with every token's in
/// constant time, without stopping at a match, so response times do not tell which token
/// was close.
/// </summary>
public sealed class ForwardTokenSet
{
    private readonly byte[][] _digests;

    private ForwardTokenSet(byte[][] digests) => _digests = digests;

    public int Count => _digests.Length;

    /// <summary>
    /// Builds the set from tokens given on the command line or read from a file: blank lines
    /// and '#' comments are skipped, every other entry must be a well-formed token.
    /// </summary>
    public static bool TryCreate(IEnumerable<(string Token, string Origin)> entries, out ForwardTokenSet set, out string problem)
    {
        var digests = new List<byte[]>();
        foreach (var (raw, origin) in entries)
        {
            var token = StripComment(raw);
            if (token.Length == 0)
            {
                continue;
            }

            var check = ForwardToken.Check(token);
            if (!check.IsValid)
            {
                set = new ForwardTokenSet([]);
                problem = check.Describe($"auth token {origin}");
                return false;
            }

            var digest = Digest(token);
            if (!digests.Any(d => d.AsSpan().SequenceEqual(digest)))
            {
                digests.Add(digest);
            }
        }

        set = new ForwardTokenSet([.. digests]);
        problem = string.Empty;
        return true;
    }

    /// <summary>Reads a token file: one token per line, '#' starts a comment.</summary>
    public static IEnumerable<(string Token, string Origin)> ReadFile(string path) =>
        File.ReadAllLines(path).Select((line, index) => (line, $"at {path}:{index + 1}"));

    /// <summary>
    /// The 1-based number of the token whose <see cref="ForwardProof"/> for this challenge and
    /// request equals <paramref name="proof"/>, or 0 when none does.
    /// </summary>
    public int MatchProof(ReadOnlySpan<byte> challenge, string source, bool probe, ReadOnlySpan<byte> proof)
    {
        var match = 0;
        for (var i = 0; i < _digests.Length; i++)
        {
            var expected = ForwardProof.Compute(_digests[i], challenge, source, probe);
            // Branch-free selection keeps the loop's timing independent of where a match is.
            var equal = CryptographicOperations.FixedTimeEquals(proof, expected) ? 1 : 0;
            match |= equal * (i + 1) * (match == 0 ? 1 : 0);
        }

        return match;
    }

    private static byte[] Digest(string token) => ForwardProof.KeyOf(token);

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return (hash < 0 ? line : line[..hash]).Trim();
    }
}
