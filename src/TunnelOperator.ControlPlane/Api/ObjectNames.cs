using System.Text.RegularExpressions;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>Name rules and generated names (apimachinery <c>validation.IsDNS1123Subdomain</c> and friends).</summary>
internal static partial class ObjectNames
{
    // Vowels and look-alike digits left out so generated suffixes never spell words (as upstream's utilrand).
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Generate(string prefix)
    {
        const int maxPrefix = 63 - 5;
        if (prefix.Length > maxPrefix)
        {
            prefix = prefix[..maxPrefix];
        }

        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        return prefix + new string(suffix);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label1035();

    public static IReadOnlyList<FieldError> ValidateSubdomain(string field, string name)
    {
        var errors = new List<FieldError>();
        if (name.Length > 253)
        {
            errors.Add(FieldError.Invalid(field, name, "must be no more than 253 characters"));
        }

        if (!Subdomain().IsMatch(name))
        {
            errors.Add(FieldError.Invalid(field, name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> ValidateLabel(string field, string name)
    {
        var errors = new List<FieldError>();
        if (name.Length > 63)
        {
            errors.Add(FieldError.Invalid(field, name, "must be no more than 63 characters"));
        }

        if (!Label().IsMatch(name))
        {
            errors.Add(FieldError.Invalid(field, name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> ValidateLabel1035(string field, string name)
    {
        var errors = new List<FieldError>();
        if (name.Length > 63)
        {
            errors.Add(FieldError.Invalid(field, name, "must be no more than 63 characters"));
        }

        if (!Label1035().IsMatch(name))
        {
            errors.Add(FieldError.Invalid(field, name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
        }

        return errors;
    }
}
