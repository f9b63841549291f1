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
        var connection = source.Headers.Connection;
        foreach (var (name, values) in source.Headers)
        {
            if (HopByHop.Contains(name) || ListedIn(connection, name))
            {
                continue;
            }

            // One value is the common case; it is added as the string it already is.
            var added = values.Count == 1
                ? target.Headers.TryAddWithoutValidation(name, values.ToString())
                : target.Headers.TryAddWithoutValidation(name, values.ToArray()!);
            if (!added && target.Content is not null)
            {
                _ = values.Count == 1
                    ? target.Content.Headers.TryAddWithoutValidation(name, values.ToString())
                    : target.Content.Headers.TryAddWithoutValidation(name, values.ToArray()!);
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
        var hasConnection = source.Headers.NonValidated.TryGetValues("Connection", out var connection);
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
                if (ResponseHopByHop.Contains(name) || (hasConnection && ListedIn(connection, name))
                    || (bodiless && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                // Values stay apart (Set-Cookie must never be joined); one value needs no array.
                target.Headers[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="name"/> is one of the comma-separated tokens of the Connection
    /// header (RFC 9110 §7.6.1). "upgrade" is left to the callers, which handle upgrades.
    /// </summary>
    private static bool ListedIn(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (HasToken(value, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ListedIn(HeaderStringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (HasToken(value, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasToken(string? list, string name)
    {
        if (name.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = list.AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var token = comma < 0 ? rest : rest[..comma];
            if (token.Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            rest = comma < 0 ? default : rest[(comma + 1)..];
        }

        return false;
    }
}
