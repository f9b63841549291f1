using System.Security.Cryptography;

namespace TunnelOperator.Agent.Forwards;

/// <summary>Why a string is not a well-formed forward auth token.</summary>
public enum ForwardTokenProblem
{
    None,
    Empty,
    WrongLength,
    WrongPrefix,
    InvalidCharacter,
    /// <summary>Well-formed, but the check character does not match: a typo.</summary>
    ChecksumMismatch,
}

/// <summary>The verdict on one token, with the 0-based position of a bad character.</summary>
public readonly record struct ForwardTokenCheck(ForwardTokenProblem Problem, int Position = -1)
{
    public bool IsValid => Problem == ForwardTokenProblem.None;

    /// <summary>What is wrong and what to do, without repeating the token (it is a secret).</summary>
    public string Describe(string what) => Problem switch
    {
        ForwardTokenProblem.None => $"{what} is well-formed",
        ForwardTokenProblem.Empty => $"{what} is empty; generate one with 'tunnelctl generate-token'",
        ForwardTokenProblem.WrongLength => $"{what} must be exactly {ForwardToken.Length} characters ('i', 16 characters, a check character); check that it was copied whole",
        ForwardTokenProblem.WrongPrefix => $"{what} must start with 'i'; check that it was copied whole",
        ForwardTokenProblem.InvalidCharacter => $"{what} has a character at position {Position + 1} that is not one of A-Z a-z 0-9 - _ .; check for a typo",
        _ => $"{what} is mistyped: its check character does not match (a character was changed or two were swapped); copy it again from the output of 'tunnelctl generate-token'",
    };
}

/// <summary>
/// Forward auth tokens, shaped as in tunnel-rs: <c>i</c>, 16 characters of
/// <c>A-Z a-z 0-9 - _ .</c>, then a check character, 18 in all. The check character is the
/// Luhn mod N check (N = 65, the alphabet below in that order) over the 16 characters, so a
/// typo is caught on the machine where the token was typed, before anything goes over the
/// network. Luhn mod N is exact only for an even N: with 65, a change between code points 32
/// apart (B and g, say) at a doubled position, and a swap of neighbouring 'A' and '.', pass
/// the check. That is 1 in 64 changes at 8 of the 17 positions; the server's token
/// comparison still refuses such a token, only later.
/// </summary>
public static class ForwardToken
{
    public const int Length = 18;
    public const char Prefix = 'i';
    public const int BodyLength = 16;

    /// <summary>The code points of Luhn mod N: a character's value is its index here.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    // Generated bodies use the 64 characters before '.', so 16 of them carry 96 random bits;
    // '.' is still valid, and appears as a check character.
    private static readonly char[] GeneratedCharacters = Alphabet[..64].ToCharArray();

    public static string Generate()
    {
        var body = RandomNumberGenerator.GetItems<char>(GeneratedCharacters, BodyLength);
        return $"{Prefix}{new string(body)}{CheckCharacter(body)}";
    }

    public static ForwardTokenCheck Check(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return new ForwardTokenCheck(ForwardTokenProblem.Empty);
        }

        if (token.Length != Length)
        {
            return new ForwardTokenCheck(ForwardTokenProblem.WrongLength);
        }

        if (token[0] != Prefix)
        {
            return new ForwardTokenCheck(ForwardTokenProblem.WrongPrefix, 0);
        }

        for (var i = 1; i < Length; i++)
        {
            if (Alphabet.IndexOf(token[i], StringComparison.Ordinal) < 0)
            {
                return new ForwardTokenCheck(ForwardTokenProblem.InvalidCharacter, i);
            }
        }

        return CheckCharacter(token.AsSpan(1, BodyLength)) == token[^1]
            ? new ForwardTokenCheck(ForwardTokenProblem.None)
            : new ForwardTokenCheck(ForwardTokenProblem.ChecksumMismatch);
    }

    /// <summary>
    /// Luhn mod N: from the rightmost character leftwards, double every other code point
    /// (starting with the rightmost), fold each product back into base N by adding its two
    /// base-N digits, and sum; the check character brings the sum to a multiple of N.
    /// </summary>
    public static char CheckCharacter(ReadOnlySpan<char> body)
    {
        const int n = 65;
        var sum = 0;
        var factor = 2;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var codePoint = Alphabet.IndexOf(body[i], StringComparison.Ordinal);
            if (codePoint < 0)
            {
                throw new ArgumentException($"character {i + 1} is outside the token alphabet", nameof(body));
            }

            var addend = factor * codePoint;
            sum += (addend / n) + (addend % n);
            factor = factor == 2 ? 1 : 2;
        }

        return Alphabet[(n - (sum % n)) % n];
    }
}
