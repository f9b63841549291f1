using System.Security.Cryptography;
using System.Text;

namespace TunnelOperator.Store.Tests.Tokens;

public sealed class ApiTokensTests
{
    // RFC 4648 §10 test vectors, lowercased and without padding.
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "my")]
    [InlineData("fo", "mzxq")]
    [InlineData("foo", "mzxw6")]
    [InlineData("foob", "mzxw6yq")]
    [InlineData("fooba", "mzxw6ytb")]
    [InlineData("foobar", "mzxw6ytboi")]
    public void Base32_MatchesRfc4648Vectors(string input, string expected)
    {
        Assert.Equal(expected, ApiTokens.Base32(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void Generate_Returns52LowercaseBase32CharactersNeverTwiceTheSame()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => ApiTokens.Generate()).ToList();

        Assert.All(tokens, t => Assert.Matches("^[a-z2-7]{52}$", t));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public void Hash_IsSha256OfThePlaintext()
    {
        var token = ApiTokens.Generate();

        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(token)), ApiTokens.Hash(token));
    }

    [Theory]
    [InlineData("h4ynciplc6gpjjr6422vytufs6bc3onjmkbqkckrzm4whfslrb5q", true)]
    [InlineData("  h4ynciplc6gpjjr6422vytufs6bc3onjmkbqkckrzm4whfslrb5q\n", true)]
    [InlineData("H4YNCIPLC6GPJJR6422VYTUFS6BC3ONJMKBQKCKRZM4WHFSLRB5Q", false)]
    [InlineData("h4ynciplc6gpjjr6422vytufs6bc3onjmkbqkckrzm4whfslrb5", false)]
    [InlineData("h4ynciplc6gpjjr6422vytufs6bc3onjmkbqkckrzm4whfslrb5qq", false)]
    [InlineData("h4ynciplc6gpjjr6422vytufs6bc3onjmkbqkckrzm4whfslrb51", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryParse_AcceptsOnlyTheGeneratedForm(string? presented, bool expected)
    {
        Assert.Equal(expected, ApiTokens.TryParse(presented, out _));
    }

    [Theory]
    [InlineData("laptop", "laptop")]
    [InlineData("  ci runner ", "ci runner")]
    [InlineData("ünïcödé is fine", "ünïcödé is fine")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public void TryNormalizeName_PrintableName_IsTrimmed(string name, string expected)
    {
        Assert.True(ApiTokens.TryNormalizeName(name, out var normalized, out var problem), problem);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("", "a token name is required")]
    [InlineData("   ", "a token name is required")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "use at most 64")]
    [InlineData("bad\nname", "U+000A")]
    public void TryNormalizeName_BadName_NamesTheProblem(string name, string expected)
    {
        Assert.False(ApiTokens.TryNormalizeName(name, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
