using System.Globalization;
using Npgsql;

namespace TunnelOperator.Store.Database;

/// <summary>
/// Turns <c>--database-url</c> into an Npgsql connection string. Accepts the libpq URL form
/// (<c>postgres[ql]://user:password@host:port/database?sslmode=...</c>, components
/// percent-encoded, as in the PostgreSQL manual's "Connection URIs") or Npgsql keywords
/// (<c>Host=...;Database=...</c>). Errors say what is wrong and show the expected form, and never
/// repeat the input: it may hold a password.
/// </summary>
internal static class PostgresConnectionStrings
{
    public const int DefaultPort = 5432;
    private const string DefaultApplicationName = "tunneld";
    private const string UrlForm = "postgres://user:password@host:5432/database?sslmode=require";
    private const string KeywordForm = "Host=db.example.com;Port=5432;Database=tunneld;Username=tunneld;Password=...";

    private static readonly string[] SupportedParameters = ["sslmode", "sslrootcert", "connect_timeout", "application_name"];

    public static NpgsqlConnectionStringBuilder Parse(string databaseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseUrl);
        var text = databaseUrl.Trim();
        var builder = text.Contains("://", StringComparison.Ordinal) ? FromUrl(text) : FromKeywords(text);
        if (string.IsNullOrWhiteSpace(builder.ApplicationName))
        {
            builder.ApplicationName = DefaultApplicationName;
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        var scheme = text[..text.IndexOf("://", StringComparison.Ordinal)];
        if (!scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            throw Bad($"its scheme is {UserText.Quote(scheme)}, but only postgres:// and postgresql:// are supported");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw Bad("it is not a well-formed URL (percent-encode reserved characters such as '@', ':' or '/' in the user name and password)");
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            throw Bad("it names no host");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw Bad("it names no database; put it in the path, as in postgres://user:password@host:5432/tunneld");
        }

        if (database.Contains('/', StringComparison.Ordinal))
        {
            throw Bad("its path has more than one segment; the path is just the database name");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : Uri.UnescapeDataString(uri.Host),
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Database = database,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            Apply(builder, key, value);
        }

        return builder;
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw Bad($"sslmode={UserText.Quote(value)} is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                    ? seconds
                    : throw Bad($"connect_timeout={UserText.Quote(value)} is not a positive number of seconds");
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            default:
                throw Bad($"its parameter {UserText.Quote(key)} is not supported; supported are {string.Join(", ", SupportedParameters)}");
        }
    }

    private static NpgsqlConnectionStringBuilder FromKeywords(string text)
    {
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"the database URL is neither a postgres:// URL nor an Npgsql connection string; use {UrlForm} or {KeywordForm}");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Npgsql names the offending keyword; its message never echoes a password value.
            throw new ArgumentException($"the database connection string is not valid: {e.Message}; use Npgsql keywords like {KeywordForm}", e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException($"the database connection string names no Host; use Npgsql keywords like {KeywordForm}");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new ArgumentException($"the database connection string names no Database; use Npgsql keywords like {KeywordForm}");
        }

        return builder;
    }

    private static ArgumentException Bad(string what) =>
        new($"the database URL is not usable: {what}; expected a URL like {UrlForm}");
}
