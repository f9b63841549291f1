using TunnelOperator.Edge.Routing;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class HostRoutingTests
{
    private readonly HostRouting _routing = new("tnl.example.com");

    [Theory]
    [InlineData("laptop-alice-7f0c.tnl.example.com", "laptop-alice-7f0c")]
    [InlineData("laptop-alice-7f0c.tnl.example.com:8443", "laptop-alice-7f0c")]
    [InlineData("QUICK-FOX-3947.TNL.EXAMPLE.COM", "quick-fox-3947")]
    [InlineData("a.tnl.example.com.", "a")]
    public void TryGetSubdomain_OneLabelUnderTheBaseHost_ReturnsTheLabel(string host, string expected)
    {
        Assert.Equal(HostRouteError.None, _routing.TryGetSubdomain(host, out var subdomain));
        Assert.Equal(expected, subdomain);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("bad_host.tnl.example.com")]
    [InlineData("a b.tnl.example.com")]
    [InlineData("x.tnl.example.com:99999")]
    [InlineData("x.tnl.example.com:")]
    [InlineData("x.tnl.example.com:80abc")]
    [InlineData("[::1]:80")]
    [InlineData("-bad.tnl.example.com")]
    [InlineData("x.tnl.example.com/evil")]
    [InlineData("x.tnl.example.com@other.example")]
    public void TryGetSubdomain_MalformedHost_IsMalformed(string? host)
    {
        Assert.Equal(HostRouteError.Malformed, _routing.TryGetSubdomain(host, out _));
    }

    [Theory]
    [InlineData("tnl.example.com")]
    [InlineData("example.com")]
    [InlineData("a.b.tnl.example.com")]
    [InlineData("evil-tnl.example.com")]
    [InlineData("x.tnl.example.com.evil.org")]
    public void TryGetSubdomain_NameNotDirectlyUnderTheBaseHost_IsRefused(string host)
    {
        Assert.Equal(HostRouteError.NotUnderBaseHost, _routing.TryGetSubdomain(host, out _));
    }

    [Fact]
    public void TryGetSubdomain_LabelLongerThan63_IsMalformed()
    {
        Assert.Equal(HostRouteError.Malformed, _routing.TryGetSubdomain(new string('a', 64) + ".tnl.example.com", out _));
    }
}
