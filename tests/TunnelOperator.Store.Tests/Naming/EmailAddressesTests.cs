namespace TunnelOperator.Store.Tests.Naming;

public sealed class EmailAddressesTests
{
    [Theory]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("  Bob@Example.COM \n", "bob@example.com")]
    [InlineData("a.b+c@sub.example.co.uk", "a.b+c@sub.example.co.uk")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie")]
    [InlineData("x@xn--bcher-kva.example", "x@xn--bcher-kva.example")]
    [InlineData("_-_@a1.io", "_-_@a1.io")]
    public void TryNormalize_ValidAddress_IsTrimmedAndLowercased(string input, string expected)
    {
        Assert.True(EmailAddresses.TryNormalize(input, out var normalized, out var problem), problem);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null, "an email address is required")]
    [InlineData("   ", "an email address is required")]
    [InlineData("alice", "'alice' is not a valid email address: it has no '@'")]
    [InlineData("a@b@example.com", "more than one '@'")]
    [InlineData("@example.com", "nothing before the '@'")]
    [InlineData("alice@", "nothing after the '@'")]
    [InlineData("alice@localhost", "has no dot")]
    [InlineData("alice@-bad-.com", "not a valid host name")]
    [InlineData("alice@exa_mple.com", "not a valid host name")]
    [InlineData("alice@example..com", "not a valid host name")]
    [InlineData("al ice@example.com", "contains a space")]
    [InlineData("al\nice@example.com", "U+000A")]
    [InlineData("alice..x@example.com", "two in a row")]
    [InlineData(".alice@example.com", "cannot start or end with '.'")]
    [InlineData("ålice@example.com", "only ASCII addresses are supported")]
    [InlineData("al(ice@example.com", "'(' cannot appear before the '@'")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com", "at most 64 are allowed")]
    public void TryNormalize_MalformedAddress_NamesTheProblem(string? input, string expected)
    {
        Assert.False(EmailAddresses.TryNormalize(input, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_OverlongAddress_StatesTheLimit()
    {
        var email = new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";

        Assert.False(EmailAddresses.TryNormalize(email, out _, out var problem));

        Assert.Contains("at most 254", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_MalformedAddress_ShowsAnExampleOfTheExpectedForm()
    {
        Assert.False(EmailAddresses.TryNormalize("alice", out _, out var problem));

        Assert.Contains("alice@example.com", problem, StringComparison.Ordinal);
    }
}
