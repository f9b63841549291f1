using System.Net;
using TunnelOperator.Edge.Forwarding;

namespace TunnelOperator.Edge.Tests.Unit;

/// <summary>The HTTP/1.1 side of a WebSocket the edge opens for an HTTP/2 client (RFC 8441 to RFC 6455).</summary>
public sealed class WebSocketHandshakeTests
{
    [Fact]
    public void AcceptFor_MatchesTheExampleOfRfc6455() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.AcceptFor("dGhlIHNhbXBsZSBub25jZQ=="));

    [Fact]
    public void AddHttp11Headers_MakesAFreshKey_AndReplacesOneTheClientSent()
    {
        using var first = new HttpRequestMessage(HttpMethod.Get, "http://origin/ws");
        first.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", "client-chosen");
        first.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        using var second = new HttpRequestMessage(HttpMethod.Get, "http://origin/ws");

        var key = WebSocketHandshake.AddHttp11Headers(first);
        var other = WebSocketHandshake.AddHttp11Headers(second);

        Assert.NotEqual(key, other);
        Assert.Equal(16, Convert.FromBase64String(key).Length);
        Assert.Equal([key], first.Headers.GetValues("Sec-WebSocket-Key"));
        Assert.Equal(["13"], first.Headers.GetValues("Sec-WebSocket-Version"));
        Assert.Equal(["13"], second.Headers.GetValues("Sec-WebSocket-Version"));
        Assert.Contains("Upgrade", first.Headers.GetValues("Connection"));
        Assert.Equal(["websocket"], first.Headers.GetValues("Upgrade"));
    }

    [Fact]
    public void Accepts_OnlyTheAcceptValueOfOurKey()
    {
        const string key = "dGhlIHNhbXBsZSBub25jZQ==";
        using var good = Response("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        using var wrong = Response(WebSocketHandshake.AcceptFor("AAAAAAAAAAAAAAAAAAAAAA=="));
        using var none = new HttpResponseMessage(HttpStatusCode.SwitchingProtocols);
        using var twice = Response("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        twice.Headers.TryAddWithoutValidation("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

        Assert.True(WebSocketHandshake.Accepts(good, key));
        Assert.False(WebSocketHandshake.Accepts(wrong, key));
        Assert.False(WebSocketHandshake.Accepts(none, key));
        Assert.False(WebSocketHandshake.Accepts(twice, key));
    }

    private static HttpResponseMessage Response(string accept)
    {
        var response = new HttpResponseMessage(HttpStatusCode.SwitchingProtocols);
        response.Headers.TryAddWithoutValidation("Sec-WebSocket-Accept", accept);
        return response;
    }
}
