using System.Net;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class EdgeOptionsTests
{
    [Theory]
    [InlineData(443, null, "https://a.tnl.example.com/")]
    [InlineData(8443, null, "https://a.tnl.example.com:8443/")]
    [InlineData(8443, 443, "https://a.tnl.example.com/")]
    public void PublicUrlFor_UsesHttpsAndOmitsTheDefaultPort(int httpsPort, int? publicPort, string expected)
    {
        var options = new EdgeOptions { BaseHost = "tnl.example.com", HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, httpsPort), PublicPort = publicPort };
        Assert.Equal(expected, options.PublicUrlFor("a"));
    }

    [Fact]
    public void PublicUrlFor_WithoutHttps_UsesHttp()
    {
        var options = new EdgeOptions { BaseHost = "localhost", HttpsEndPoint = null, HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 8080) };
        Assert.Equal("http://a.localhost:8080/", options.PublicUrlFor("a"));
    }

    [Theory]
    [InlineData("tnl.example.com", true)]
    [InlineData("happy-fox-1234.tnl.example.com", true)]
    [InlineData("A.B.TNL.example.com.", true)]
    [InlineData("*.tnl.example.com", true)]
    [InlineData("app.localhost", true)]
    [InlineData("localhost", true)]
    [InlineData("notlocalhost", false)]
    [InlineData("xtnl.example.com", false)]
    [InlineData("*.example.com", false)]
    [InlineData("app.alice.example.eu", false)]
    public void IsEdgeName_CoversTheBaseHostAndLocalhostZones_Only(string hostname, bool expected) =>
        Assert.Equal(expected, new EdgeOptions { BaseHost = "tnl.example.com" }.IsEdgeName(hostname));
}
