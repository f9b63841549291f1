namespace TunnelOperator.Edge.Routing;

/// <summary>Why a Host header could not be mapped to a tunnel subdomain.</summary>
public enum HostRouteError
{
    None,
    /// <summary>Missing, empty, or not a syntactically valid host[:port].</summary>
    Malformed,
    /// <summary>A valid name that is not <c>&lt;label&gt;.&lt;base-host&gt;</c>.</summary>
    NotUnderBaseHost,
}

/// <summary>
/// Maps the public Host header to a tunnel subdomain: exactly one DNS label directly under
/// the base host. Anything else never reaches a tunnel, so a crafted Host cannot address
/// another tenant's service.
/// </summary>
public sealed class HostRouting(string baseHost)
{
    private readonly string _suffix = "." + baseHost.TrimEnd('.').ToLowerInvariant();

    public HostRouteError TryGetSubdomain(string? host, out string subdomain)
    {
        subdomain = string.Empty;
        if (string.IsNullOrEmpty(host) || host.Length > 260)
        {
            return HostRouteError.Malformed;
        }

        var name = StripPort(host);
        if (name is null)
        {
            return HostRouteError.Malformed;
        }

        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return HostRouteError.Malformed;
            }
        }

        name = name.ToLowerInvariant();
        if (!name.EndsWith(_suffix, StringComparison.Ordinal))
        {
            return HostRouteError.NotUnderBaseHost;
        }

        var label = name[..^_suffix.Length];
        if (!IsDnsLabel(label))
        {
            return label.Contains('.') ? HostRouteError.NotUnderBaseHost : HostRouteError.Malformed;
        }

        subdomain = label;
        return HostRouteError.None;
    }

    /// <summary>RFC 1123 label: 1-63 of [a-z0-9-], not starting or ending with '-'.</summary>
    public static bool IsDnsLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static string? StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            return null; // IP literals are never tunnel hostnames
        }

        var colon = host.IndexOf(':');
        if (colon < 0)
        {
            return host;
        }

        var port = host.AsSpan(colon + 1);
        if (port.IsEmpty || port.Length > 5 || !int.TryParse(port, out var p) || p is < 1 or > 65535)
        {
            return null;
        }

        return host[..colon];
    }
}
