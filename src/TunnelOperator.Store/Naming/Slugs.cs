using System.Security.Cryptography;
using System.Text;

namespace TunnelOperator.Store;

/// <summary>
/// The per-user slug that ends every named-tunnel subdomain (<c>laptop-alice-7f0c</c>). Derived
/// once from the email at user creation and stored, so later rules changes never move anyone's
/// URLs.
/// </summary>
internal static class Slugs
{
    /// <summary>
    /// Cap on the readable part. With "-xxxx" the slug is at most 29 characters, which leaves
    /// 33 for the tunnel name inside a 63-character DNS label.
    /// </summary>
    public const int MaxBaseLength = 24;

    public const string EmptyBase = "user";

    /// <summary>
    /// The readable part: the email's local part, lowercased, with only [a-z0-9-] kept, runs of
    /// '-' collapsed, '-' trimmed from both ends, capped; "user" when nothing is left.
    /// </summary>
    public static string BaseFromEmail(string normalizedEmail)
    {
        var at = normalizedEmail.LastIndexOf('@');
        var local = (at < 0 ? normalizedEmail : normalizedEmail[..at]).ToLowerInvariant();
        var builder = new StringBuilder(local.Length);
        foreach (var c in local)
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (c == '-' && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append(c);
            }
        }

        var slug = builder.ToString();
        slug = slug[..Math.Min(slug.Length, MaxBaseLength)].Trim('-');
        return slug.Length == 0 ? EmptyBase : slug;
    }

    /// <summary>
    /// Four hex digits from two random bytes: they only tell apart users whose local parts agree,
    /// so they need no secrecy, but they come from the CSPRNG so slugs leak nothing about order.
    /// </summary>
    public static string RandomSuffix()
    {
        Span<byte> bytes = stackalloc byte[2];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static string Compose(string baseSlug, string suffix) => $"{baseSlug}-{suffix}";
}
