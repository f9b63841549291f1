using System.Security.Cryptography;
using TunnelOperator.Protocol.Tenants;

namespace TunnelOperator.Edge.Tests.L4;

public sealed class InviteTokenTests
{
    [Fact]
    public void Token_RoundTrips_AndCarriesTenantEdgesAndHub()
    {
        var invite = new InviteToken(Guid.NewGuid(), Guid.NewGuid(), RandomNumberGenerator.GetBytes(32), ["https://a.example.eu:7777", "https://b.example.eu:7777"], "https://a.example.eu:7777");

        var text = invite.Encode();

        Assert.StartsWith("tinv1_", text, StringComparison.Ordinal);
        Assert.Matches("^tinv1_[A-Za-z0-9_-]+$", text);
        Assert.True(InviteToken.TryParse($"  {text}\n", out var parsed, out var problem), problem);
        Assert.Equal(invite.TenantId, parsed.TenantId);
        Assert.Equal(invite.InviteId, parsed.InviteId);
        Assert.Equal(invite.Secret, parsed.Secret);
        Assert.Equal(invite.EdgeUrls, parsed.EdgeUrls);
        Assert.Equal(invite.HubUrl, parsed.HubUrl);
    }

    [Theory]
    [InlineData(null, "starts with")]
    [InlineData("h4ynciplc6gpjjr6422vytufs6bc3onjmkbqkckrzm4whfslrb5q", "starts with")]
    [InlineData("tinv1_***", "damaged")]
    [InlineData("tinv1_AAAA", "damaged")]
    public void DamagedTokens_AreRefusedWithAReason(string? token, string reason)
    {
        Assert.False(InviteToken.TryParse(token, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomSuffixes_NeverThrow()
    {
        var random = new Random(3);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            var ok = InviteToken.TryParse("tinv1_" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('='), out var token, out var problem);
            Assert.True(ok ? token is not null : problem.Length > 0);
        }
    }
}
