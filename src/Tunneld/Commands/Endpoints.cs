using System.Net;

namespace Tunneld.Commands;

/// <summary>Parses listen addresses: <c>host:port</c>, <c>:port</c> (all interfaces), <c>[v6]:port</c>, or <c>off</c>.</summary>
internal static class Endpoints
{
    public static IPEndPoint? Parse(string? value, string flag)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (value.StartsWith(':') && int.TryParse(value.AsSpan(1), out var anyPort) && anyPort is >= 0 and <= 65535)
        {
            return new IPEndPoint(IPAddress.Any, anyPort);
        }

        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(value.AsSpan("localhost:".Length), out var localPort) && localPort is >= 0 and <= 65535)
        {
            return new IPEndPoint(IPAddress.Loopback, localPort);
        }

        if (IPEndPoint.TryParse(value, out var endPoint) && value.Contains(':') && endPoint.Port is >= 0 and <= 65535)
        {
            return endPoint;
        }

        throw new ArgumentException($"{flag} '{value}' is not a listen address: use HOST:PORT (e.g. 127.0.0.1:8443), :PORT for all interfaces, or 'off'");
    }
}
