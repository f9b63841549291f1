using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TunnelOperator.Edge.Forwarding;

/// <summary>
/// Turns a WebSocket opened over HTTP/2 (RFC 8441: CONNECT with <c>:protocol websocket</c>,
/// answered 200) into the HTTP/1.1 handshake an origin speaks (RFC 6455 §4: GET with Upgrade,
/// answered 101). HTTP/2 has no Sec-WebSocket-Key, so the edge makes one for the origin and
/// checks the origin's Sec-WebSocket-Accept against it; the subprotocol and extension headers
/// pass through both ways.
/// </summary>
public static class WebSocketHandshake
{
    // RFC 6455 §1.3: the GUID appended to the key before hashing.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static readonly string[] AcceptedHeaders = ["Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"];

    /// <summary>Adds Connection, Upgrade, a fresh Sec-WebSocket-Key and a version if the client gave none; returns the key.</summary>
    public static string AddHttp11Headers(HttpRequestMessage request)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.Remove("Sec-WebSocket-Key");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", key);
        if (!request.Headers.Contains("Sec-WebSocket-Version"))
        {
            request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        }

        return key;
    }

    /// <summary>The Sec-WebSocket-Accept an origin must answer <paramref name="key"/> with.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 6455 fixes SHA-1 for the handshake check; it protects nothing")]
    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    /// <summary>True when the 101 carries the accept value for our key.</summary>
    public static bool Accepts(HttpResponseMessage response, string key) =>
        response.Headers.NonValidated.TryGetValues("Sec-WebSocket-Accept", out var values)
        && values.Count == 1
        && string.Equals(values.ToString().Trim(), AcceptFor(key), StringComparison.Ordinal);

    /// <summary>Copies what the client must see of the origin's answer: subprotocol and extensions.</summary>
    public static void CopyAcceptedHeaders(HttpResponseMessage response, HttpResponse target)
    {
        foreach (var name in AcceptedHeaders)
        {
            if (response.Headers.NonValidated.TryGetValues(name, out var values))
            {
                target.Headers[name] = values.ToString();
            }
        }
    }
}
