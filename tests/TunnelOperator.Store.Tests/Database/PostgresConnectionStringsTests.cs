using Npgsql;
using TunnelOperator.Store.Database;

namespace TunnelOperator.Store.Tests.Database;

public sealed class PostgresConnectionStringsTests
{
    private const string Secret = "hunter2-very-secret";

    [Fact]
    public void Parse_UrlWithEveryPart_SetsEachConnectionSetting()
    {
        var builder = PostgresConnectionStrings.Parse($"postgres://tunnel:{Secret}%40x@db.example.com:6543/tunneld?sslmode=require");

        Assert.Equal("db.example.com", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("tunnel", builder.Username);
        Assert.Equal($"{Secret}@x", builder.Password);
        Assert.Equal("tunneld", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("tunneld", builder.ApplicationName);
    }

    [Theory]
    [InlineData("postgresql://u@h/db", "h", 5432, "u", null, "db")]
    [InlineData("POSTGRES://u:p@h:5433/db", "h", 5433, "u", "p", "db")]
    [InlineData("postgres://u:p@[::1]:5433/db", "::1", 5433, "u", "p", "db")]
    [InlineData("postgres://u%2Fx:p%3Aq@127.0.0.1/my%20db", "127.0.0.1", 5432, "u/x", "p:q", "my db")]
    [InlineData("postgres://h/db", "h", 5432, null, null, "db")]
    public void Parse_UrlForms_AreDecoded(string url, string host, int port, string? user, string? password, string database)
    {
        var builder = PostgresConnectionStrings.Parse(url);

        Assert.Equal((host, port, user, password, database), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Parse_SslModes_MapToNpgsql(string sslmode, SslMode expected)
    {
        Assert.Equal(expected, PostgresConnectionStrings.Parse($"postgres://u@h/db?sslmode={sslmode}").SslMode);
    }

    [Fact]
    public void Parse_UrlWithOtherParameters_SetsTimeoutApplicationNameAndRootCertificate()
    {
        var builder = PostgresConnectionStrings.Parse("postgres://u@h/db?connect_timeout=7&application_name=edge-1&sslrootcert=%2Fetc%2Fca.pem");

        Assert.Equal(7, builder.Timeout);
        Assert.Equal("edge-1", builder.ApplicationName);
        Assert.Equal("/etc/ca.pem", builder.RootCertificate);
    }

    [Fact]
    public void Parse_KeywordConnectionString_IsTakenAsItIs()
    {
        var builder = PostgresConnectionStrings.Parse($"Host=h;Port=5433;Database=d;Username=u;Password={Secret};SSL Mode=Require;Application Name=mine");

        Assert.Equal(("h", 5433, "d", "u", Secret, SslMode.Require, "mine"),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode, builder.ApplicationName));
    }

    [Theory]
    [InlineData($"mysql://u:{Secret}@h/db", "only postgres:// and postgresql:// are supported")]
    [InlineData($"postgres://u:{Secret}@h", "names no database")]
    [InlineData($"postgres://u:{Secret}@h/", "names no database")]
    [InlineData($"postgres://u:{Secret}@h/a/b", "more than one segment")]
    [InlineData($"postgres://u:{Secret}@h/db?foo=bar", "'foo' is not supported; supported are sslmode")]
    [InlineData($"postgres://u:{Secret}@h/db?sslmode=maybe", "sslmode='maybe' is not one of")]
    [InlineData($"postgres://u:{Secret}@h/db?connect_timeout=soon", "not a positive number of seconds")]
    [InlineData($"postgres://u:{Secret}@h:99999/db", "not a well-formed URL")]
    [InlineData(Secret, "neither a postgres:// URL nor an Npgsql connection string")]
    [InlineData($"Host=h;Database=d;Password={Secret};Bogus=1", "connection string is not valid")]
    [InlineData($"Database=d;Password={Secret}", "names no Host")]
    [InlineData($"Host=h;Password={Secret}", "names no Database")]
    public void Parse_UnusableUrl_ExplainsWhatIsWrongWithoutRepeatingThePassword(string url, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => PostgresConnectionStrings.Parse(url));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
        Assert.Matches("postgres://user:password@host:5432/database|Host=db.example.com", e.Message);
    }

    [Fact]
    public void Target_ForPostgres_DescribesTheDatabaseButNotThePassword()
    {
        var target = DatabaseTarget.From(new StoreOptions { DataDirectory = "unused", DatabaseUrl = $"postgres://edge:{Secret}@db.internal:6000/tunnels" });

        Assert.Equal(DatabaseProvider.Postgres, target.Provider);
        Assert.Equal("PostgreSQL database 'tunnels' on db.internal:6000 as user 'edge'", target.Description);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Target_WithoutDatabaseUrl_IsSqliteInTheDataDirectory(string? url)
    {
        var target = DatabaseTarget.From(new StoreOptions { DataDirectory = "/var/lib/tunneld", DatabaseUrl = url });

        Assert.Equal(DatabaseProvider.Sqlite, target.Provider);
        Assert.Equal("SQLite database /var/lib/tunneld/tunneld.db", target.Description);
    }

    [Fact]
    public async Task Open_UnusableUrl_ThrowsArgumentExceptionBeforeTouchingAnything()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tunnelop-store-{Guid.NewGuid():N}");

        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            TunnelStore.OpenAsync(new StoreOptions { DataDirectory = directory, DatabaseUrl = "postgres://u@h" }, TestContext.Current.CancellationToken));

        Assert.Contains("names no database", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }
}
