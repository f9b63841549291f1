namespace TunnelOperator.Store;

/// <summary>
/// Email validation for user accounts. Deliberately narrower than RFC 5322 (no quoted local parts,
/// comments or IP-literal domains): an address is an identity here, and one canonical spelling
/// (trimmed, lowercase ASCII) is what makes the unique index on <c>users.email</c> mean something.
/// </summary>
internal static class EmailAddresses
{
    // RFC 5321 §4.5.3.1: a path is at most 256 octets including the angle brackets, a local part 64.
    private const int MaxLength = 254;
    private const int MaxLocalLength = 64;
    private const string Example = "expected something like alice@example.com";

    // RFC 5322 §3.2.3 atext, plus '.' between atoms (dot-atom).
    private const string LocalSpecials = "!#$%&'*+/=?^_`{|}~-.";

    public static bool TryNormalize(string? input, out string normalized, out string problem)
    {
        normalized = (input ?? string.Empty).Trim().ToLowerInvariant();
        var quoted = UserText.Quote(normalized);
        problem = normalized switch
        {
            "" => $"an email address is required; {Example}",
            { Length: > MaxLength } => $"email address {quoted} is {normalized.Length} characters long; at most {MaxLength} are allowed",
            _ => FindProblem(normalized, quoted),
        };
        return problem.Length == 0;
    }

    private static string FindProblem(string email, string quoted)
    {
        var odd = email.Where(c => char.IsWhiteSpace(c) || char.IsControl(c)).ToList();
        if (odd.Count > 0)
        {
            return $"{quoted} is not a valid email address: it contains {UserText.DescribeAll(odd)}; {Example}";
        }

        var nonAscii = email.Where(c => !char.IsAscii(c)).ToList();
        if (nonAscii.Count > 0)
        {
            return $"{quoted} is not a valid email address here: it contains {UserText.DescribeAll(nonAscii)}, and only ASCII addresses are supported (write an internationalised domain in its xn-- form)";
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return $"{quoted} is not a valid email address: it has no '@'; {Example}";
        }

        if (email.IndexOf('@', at + 1) >= 0)
        {
            return $"{quoted} is not a valid email address: it has more than one '@'; {Example}";
        }

        var local = email[..at];
        var domain = email[(at + 1)..];
        return LocalProblem(local, quoted) ?? DomainProblem(domain, quoted) ?? string.Empty;
    }

    private static string? LocalProblem(string local, string quoted)
    {
        if (local.Length == 0)
        {
            return $"{quoted} is not a valid email address: there is nothing before the '@'; {Example}";
        }

        if (local.Length > MaxLocalLength)
        {
            return $"{quoted} is not a valid email address: the part before the '@' is {local.Length} characters long, at most {MaxLocalLength} are allowed";
        }

        var bad = local.Where(c => !char.IsAsciiLetterOrDigit(c) && !LocalSpecials.Contains(c, StringComparison.Ordinal)).ToList();
        if (bad.Count > 0)
        {
            return $"{quoted} is not a valid email address: {UserText.DescribeAll(bad)} cannot appear before the '@'; {Example}";
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return $"{quoted} is not a valid email address: the part before the '@' cannot start or end with '.' or have two in a row; {Example}";
        }

        return null;
    }

    private static string? DomainProblem(string domain, string quoted)
    {
        if (domain.Length == 0)
        {
            return $"{quoted} is not a valid email address: there is nothing after the '@'; {Example}";
        }

        var labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return $"{quoted} is not a valid email address: the domain '{domain}' has no dot; use a full domain such as example.com";
        }

        if (labels.Any(label => !TunnelNames.IsDnsLabel(label)))
        {
            return $"{quoted} is not a valid email address: the domain '{domain}' is not a valid host name (dot-separated labels of letters, digits and '-', none empty, none starting or ending with '-'); {Example}";
        }

        return null;
    }
}
