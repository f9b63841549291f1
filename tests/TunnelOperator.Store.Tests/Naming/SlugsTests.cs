namespace TunnelOperator.Store.Tests.Naming;

public sealed class SlugsTests
{
    [Theory]
    [InlineData("alice@example.com", "alice")]
    [InlineData("alice.smith+x@example.com", "alicesmithx")]
    [InlineData("ALICE@example.com", "alice")]
    [InlineData("o'brien@example.ie", "obrien")]
    [InlineData("a--b@x.io", "a-b")]
    [InlineData("-alice-@x.io", "alice")]
    [InlineData("a.-.-b@x.io", "a-b")]
    [InlineData("1234@x.io", "1234")]
    [InlineData("___@x.io", "user")]
    [InlineData("!#$%@x.io", "user")]
    [InlineData("---@x.io", "user")]
    [InlineData("averyveryverylonglocalpartindeed@x.io", "averyveryverylonglocalpa")]
    [InlineData("abcdefghijklmnopqrstuvw-xyz@x.io", "abcdefghijklmnopqrstuvw")]
    public void BaseFromEmail_FollowsTheSlugRule(string email, string expected)
    {
        var slug = Slugs.BaseFromEmail(email);

        Assert.Equal(expected, slug);
        Assert.True(slug.Length <= Slugs.MaxBaseLength);
    }

    [Fact]
    public void RandomSuffix_IsFourLowercaseHexDigitsFromARandomSource()
    {
        var suffixes = Enumerable.Range(0, 200).Select(_ => Slugs.RandomSuffix()).ToList();

        Assert.All(suffixes, s => Assert.Matches("^[0-9a-f]{4}$", s));
        Assert.True(suffixes.Distinct().Count() > 150, "200 draws from 65536 values should rarely repeat");
    }

    [Fact]
    public void LongestSlug_LeavesRoomForA33CharacterTunnelName()
    {
        var slug = Slugs.Compose(new string('a', Slugs.MaxBaseLength), "beef");

        Assert.True(TunnelNames.IsDnsLabel($"{new string('n', 33)}-{slug}"));
    }
}
