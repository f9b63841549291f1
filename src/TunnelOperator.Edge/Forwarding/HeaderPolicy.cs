using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace TunnelOperator.Edge.Forwarding;

/// <summary>
/// Which headers cross the edge. Hop-by-hop headers (RFC 9110 §7.6.1) belong to one
/// connection and are dropped, as is every header the Connection header names. The edge
/// alone sets X-Forwarded-*: what a client sends there is discarded, never trusted.
/// </summary>
public static class HeaderPolicy
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Expect", "Host",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "Forwarded", "X-Real-IP",
        // HTTP/2 pseudo-headers never become HTTP/1.1 fields.
        ":method", ":path", ":scheme", ":authority", ":protocol",
    };

    private static readonly HashSet<string> ResponseHopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Alt-Svc",
    };

    public static void CopyRequestHeaders(HttpRequest source, HttpRequestMessage target, bool upgrade)
    {
        var connectionListed = ListedInConnection(source.Headers.Connection);
        foreach (var (name, values) in source.Headers)
        {
            if (HopByHop.Contains(name) || connectionListed.Contains(name))
            {
                continue;
            }

            string[] array = values!;
            if (!target.Headers.TryAddWithoutValidation(name, array) && target.Content is not null)
            {
                target.Content.Headers.TryAddWithoutValidation(name, array);
            }
        }

        if (upgrade)
        {
            target.Headers.TryAddWithoutValidation("Connection", "Upgrade");
            target.Headers.TryAddWithoutValidation("Upgrade", source.Headers.Upgrade.ToArray()!);
        }
    }

    public static void CopyResponseHeaders(HttpResponseMessage source, HttpResponse target, bool upgrade)
    {
        var connectionListed = ListedInConnection(source.Headers.TryGetValues("Connection", out var c) ? new StringValues([.. c]) : StringValues.Empty);
        // A response that can have no body (RFC 9110 §15.3.5, §15.4.5) must not be given a
        // Content-Length by us; HttpClient reports "0" for an empty content, and Kestrel
        // refuses the header outright on a 204.
        var bodiless = target.StatusCode is < 200 or StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified;

        Copy(source.Headers);
        Copy(source.Content.Headers);
        if (upgrade)
        {
            target.Headers.Connection = "Upgrade";
            if (source.Headers.TryGetValues("Upgrade", out var upgradeValues))
            {
                target.Headers.Upgrade = new StringValues([.. upgradeValues]);
            }
        }

        void Copy(HttpHeaders headers)
        {
            foreach (var (name, values) in headers.NonValidated)
            {
                if (ResponseHopByHop.Contains(name) || connectionListed.Contains(name)
                    || (bodiless && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var list = new string[values.Count];
                var i = 0;
                foreach (var value in values)
                {
                    list[i++] = value;
                }

                target.Headers[name] = list;
            }
        }
    }

    private static HashSet<string> ListedInConnection(StringValues connection)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!token.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                {
                    set.Add(token);
                }
            }
        }

        return set;
    }
}
