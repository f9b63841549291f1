using System.Net;

namespace TunnelOperator.Edge.Forwarding;

/// <summary>
/// A request on its way through a tunnel. It remembers the public client so that a pooled
/// connection the request makes the handler open can name it in its stream header; the
/// address is only formatted then, not for every request.
/// </summary>
internal sealed class ForwardedRequest(HttpMethod method, Uri uri, IPAddress? clientIp, int clientPort) : HttpRequestMessage(method, uri)
{
    public string ClientAddress => $"{clientIp?.ToString() ?? "unknown"}:{clientPort}";
}
