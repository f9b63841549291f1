using System.Globalization;
using System.Net;

namespace TunnelOperator.Agent.Forwards;

public enum ForwardProtocol
{
    Tcp,
    Udp,
}

/// <summary>
/// What a client asks the server to reach: <c>tcp://HOST:PORT</c> or <c>udp://HOST:PORT</c>,
/// HOST being an IPv4 address, a bracketed IPv6 address, or a DNS name.
/// </summary>
public sealed record ForwardSource(ForwardProtocol Protocol, string Host, int Port)
{
    private const string Example = "e.g. tcp://10.0.0.5:5432 or udp://dns.cluster.local:53";

    public string Scheme => Protocol == ForwardProtocol.Tcp ? "tcp" : "udp";

    /// <summary>The literal address when HOST is one, else null (a name to resolve).</summary>
    public IPAddress? Address => IPAddress.TryParse(Host, out var address) ? address : null;

    public override string ToString() =>
        $"{Scheme}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, out ForwardSource source, out string problem)
    {
        source = new ForwardSource(ForwardProtocol.Tcp, string.Empty, 0);
        text = text?.Trim() ?? string.Empty;
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            problem = $"source '{text}' needs a protocol: tcp://HOST:PORT or udp://HOST:PORT, {Example}";
            return false;
        }

        ForwardProtocol? protocol = text[..separator].ToLowerInvariant() switch
        {
            "tcp" => ForwardProtocol.Tcp,
            "udp" => ForwardProtocol.Udp,
            _ => null,
        };
        if (protocol is null)
        {
            problem = $"source '{text}' has protocol '{text[..separator]}'; only tcp:// and udp:// are forwarded, {Example}";
            return false;
        }

        if (!TrySplitHostPort(text[(separator + 3)..], out var host, out var port, out problem))
        {
            problem = $"source '{text}': {problem}, {Example}";
            return false;
        }

        source = new ForwardSource(protocol.Value, host, port);
        return true;
    }

    /// <summary>Splits <c>HOST:PORT</c> or <c>[IPv6]:PORT</c>; the port must be 1-65535.</summary>
    public static bool TrySplitHostPort(string text, out string host, out int port, out string problem)
    {
        host = string.Empty;
        port = 0;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                problem = "an IPv6 address must be written [ADDRESS]:PORT";
                return false;
            }

            host = text[1..close];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                problem = $"'{host}' is not an IPv6 address";
                return false;
            }

            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0)
            {
                problem = "the host and port must be written HOST:PORT";
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                problem = "an IPv6 address must be written in brackets, [ADDRESS]:PORT";
                return false;
            }

            if (IPAddress.TryParse(host, out var v4))
            {
                // Shorthand forms such as 127.1 or 0x7f.0.0.1 parse too; insist on the
                // dotted-decimal spelling so that what is checked is what the user sees.
                if (v4.ToString() != host)
                {
                    problem = $"'{host}' must be written as four decimal numbers, e.g. {v4}";
                    return false;
                }
            }
            else if (!IsHostName(host))
            {
                problem = $"'{host}' is neither an IP address nor a host name";
                return false;
            }
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            problem = $"port '{portText}' must be a number from 1 to 65535";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static bool IsHostName(string host) =>
        host.Length is > 0 and <= 253
        && host.Split('.').All(label => label.Length is > 0 and <= 63
            && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'));
}
