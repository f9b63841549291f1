using System.Security.Cryptography;
using System.Text;

namespace TunnelOperator.Store;

/// <summary>
/// API tokens: 32 random bytes written as lowercase base32 without padding (RFC 4648 §6), 52
/// characters that survive copy-paste, URLs and shells. Only SHA-256 of the plaintext is stored.
/// A slow password hash is unnecessary: the input has 256 bits of entropy, so a stolen hash table
/// cannot be brute-forced, and authentication stays one indexed lookup.
/// </summary>
internal static class ApiTokens
{
    public const int SecretBytes = 32;

    /// <summary>ceil(256 / 5): each base32 character carries five bits.</summary>
    public const int PlaintextLength = 52;

    public const int MaxNameLength = 64;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Generate()
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var plaintext = Base32(secret);
        CryptographicOperations.ZeroMemory(secret);
        return plaintext;
    }

    public static byte[] Hash(string plaintext) => SHA256.HashData(Encoding.ASCII.GetBytes(plaintext));

    /// <summary>
    /// Accepts exactly what <see cref="Generate"/> produces (surrounding whitespace aside, as tokens
    /// are often read from files). Anything else is rejected without touching the database.
    /// </summary>
    public static bool TryParse(string? presented, out string plaintext)
    {
        plaintext = presented?.Trim() ?? string.Empty;
        return plaintext.Length == PlaintextLength && plaintext.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
    }

    /// <summary>Token names label a device or purpose: 1–64 printable characters, trimmed.</summary>
    public static bool TryNormalizeName(string? name, out string normalized, out string problem)
    {
        normalized = name?.Trim() ?? string.Empty;
        var control = normalized.Where(char.IsControl).ToList();
        problem = normalized switch
        {
            "" => "a token name is required: name it after the device or purpose it is for, e.g. 'laptop'",
            { Length: > MaxNameLength } => $"token name {UserText.Quote(normalized)} is {normalized.Length} characters long; use at most {MaxNameLength}",
            _ when control.Count > 0 => $"token name {UserText.Quote(normalized)} contains {UserText.DescribeAll(control)}; use printable characters only",
            _ => string.Empty,
        };
        return problem.Length == 0;
    }

    /// <summary>RFC 4648 §6 base32, lowercase, without '=' padding.</summary>
    internal static string Base32(ReadOnlySpan<byte> data)
    {
        var output = new StringBuilder((data.Length * 8 + 4) / 5);
        var buffer = 0;
        var bits = 0;
        foreach (var b in data)
        {
            buffer = ((buffer << 8) | b) & 0x1FFF; // at most 12 pending bits matter
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                output.Append(Alphabet[(buffer >> bits) & 31]);
            }
        }

        if (bits > 0)
        {
            output.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }
}
