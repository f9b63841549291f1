namespace TunnelOperator.Store.Tests.Naming;

public sealed class TunnelNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("laptop")]
    [InlineData("my-app-2")]
    [InlineData("a--b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void TryValidateName_DnsLabel_IsAccepted(string name)
    {
        Assert.True(TunnelNames.TryValidateName(name, out var problem), problem);
        Assert.Equal(string.Empty, problem);
    }

    [Theory]
    [InlineData("", "a tunnel name is required", "'laptop'")]
    [InlineData("Laptop", "'Laptop' has uppercase letters", "use 'laptop' instead")]
    [InlineData("LAPTOP", "lowercase only", "use 'laptop' instead")]
    [InlineData("-Laptop", "uppercase letters", "e.g. 'laptop'")]
    [InlineData("my_app", "'my_app' contains '_'", "e.g. 'my-app'")]
    [InlineData("My_App", "contains '_' and uppercase letters", "e.g. 'my-app'")]
    [InlineData("my app", "contains a space", "e.g. 'my-app'")]
    [InlineData("a.b", "contains '.'", "e.g. 'a-b'")]
    [InlineData("café", "contains 'é'", "e.g. 'caf'")]
    [InlineData("tab\there", "U+0009", "e.g. 'tab-here'")]
    [InlineData("-app", "starts with '-'", "e.g. 'app'")]
    [InlineData("app-", "ends with '-'", "e.g. 'app'")]
    [InlineData("---", "starts with '-'", "e.g. 'laptop'")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "is 64 characters long", "at most 63")]
    public void TryValidateName_InvalidName_SaysWhatIsWrongAndWhatToUse(string name, string what, string instead)
    {
        Assert.False(TunnelNames.TryValidateName(name, out var problem));
        Assert.Contains(what, problem, StringComparison.Ordinal);
        Assert.Contains(instead, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidateName_HugeName_QuotesOnlyAShortPrintablePrefix()
    {
        var name = "x\u0007" + new string('y', 10_000);

        Assert.False(TunnelNames.TryValidateName(name, out var problem));

        Assert.True(problem.Length < 400, problem);
        Assert.DoesNotContain('\u0007', problem);
        Assert.Contains("…'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("My App!", "my-app")]
    [InlineData("__a__b__", "a-b")]
    [InlineData("ok", "ok")]
    [InlineData("!!!", null)]
    public void Suggest_ReturnsTheClosestValidName(string name, string? expected)
    {
        Assert.Equal(expected, TunnelNames.Suggest(name));
    }
}
