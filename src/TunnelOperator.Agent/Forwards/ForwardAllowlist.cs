using System.Net;

namespace TunnelOperator.Agent.Forwards;

/// <summary>The allowlist's verdict on one address, naming the rule that decided it.</summary>
public readonly record struct AllowlistDecision(bool Allowed, string Rule);

/// <summary>
/// The networks a forward server lets clients reach, per protocol (<c>--allowed-tcp</c>,
/// <c>--allowed-udp</c>, CIDR notation, repeatable). Nothing is allowed by default, and
/// <see cref="SensitiveNetworks"/> (loopback, link-local, cloud metadata) need an entry of
/// their own. Checked for every stream, against every address a name resolves to.
/// </summary>
public sealed class ForwardAllowlist
{
    private readonly IPNetwork[] _tcp;
    private readonly IPNetwork[] _udp;

    private ForwardAllowlist(IPNetwork[] tcp, IPNetwork[] udp)
    {
        _tcp = tcp;
        _udp = udp;
    }

    public IReadOnlyList<IPNetwork> Tcp => _tcp;

    public IReadOnlyList<IPNetwork> Udp => _udp;

    public static bool TryCreate(IEnumerable<string> tcp, IEnumerable<string> udp, out ForwardAllowlist allowlist, out string problem)
    {
        allowlist = new ForwardAllowlist([], []);
        if (!TryParseAll(tcp, "--allowed-tcp", out var tcpNetworks, out problem)
            || !TryParseAll(udp, "--allowed-udp", out var udpNetworks, out problem))
        {
            return false;
        }

        allowlist = new ForwardAllowlist(tcpNetworks, udpNetworks);
        return true;
    }

    /// <summary>
    /// Parses one entry: a CIDR (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) or a single address (a /32
    /// or /128). Host bits below the prefix are refused rather than silently dropped.
    /// </summary>
    public static bool TryParseNetwork(string text, out IPNetwork network, out string problem)
    {
        network = default;
        text = text.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.ToString() != addressText))
        {
            problem = $"'{text}' is not a network in CIDR notation, e.g. 10.0.0.0/8 or fd00::/8";
            return false;
        }

        var maxPrefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            problem = $"'{text}' has a prefix length that is not a number from 0 to {maxPrefix}";
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            // ::ffff:10.0.0.0/104 is 10.0.0.0/8: the IPv4 part starts after 96 bits.
            if (prefix < 96)
            {
                problem = $"'{text}' is an IPv4-mapped network; its prefix must be 96 or more, or write it as IPv4";
                return false;
            }

            address = address.MapToIPv4();
            prefix -= 96;
        }

        var masked = Mask(address, prefix);
        if (!masked.Equals(address))
        {
            problem = $"'{text}' has bits set below its /{prefix} prefix; did you mean {masked}/{prefix}?";
            return false;
        }

        network = new IPNetwork(masked, prefix);
        problem = string.Empty;
        return true;
    }

    public AllowlistDecision Check(ForwardProtocol protocol, IPAddress address)
    {
        address = Normalize(address);
        var (networks, flag) = protocol == ForwardProtocol.Tcp ? (_tcp, "--allowed-tcp") : (_udp, "--allowed-udp");
        var scheme = protocol == ForwardProtocol.Tcp ? "tcp" : "udp";
        if (networks.Length == 0)
        {
            return new AllowlistDecision(false, $"this server allows no {scheme} sources (it was started without {flag})");
        }

        var sensitive = SensitiveNetworks.Find(address);
        foreach (var network in networks)
        {
            if (network.Contains(address) && (sensitive is null || network.PrefixLength >= sensitive.Network.PrefixLength))
            {
                return new AllowlistDecision(true, $"{flag} {network}");
            }
        }

        if (sensitive is not null && networks.Any(n => n.Contains(address)))
        {
            return new AllowlistDecision(false,
                $"{address} is {sensitive.Kind} ({sensitive.Network}), refused unless the server lists it on its own, e.g. {flag} {sensitive.Network}");
        }

        return new AllowlistDecision(false, $"{address} is not in any {flag} network ({string.Join(", ", networks)})");
    }

    private static bool TryParseAll(IEnumerable<string> entries, string flag, out IPNetwork[] networks, out string problem)
    {
        var parsed = new List<IPNetwork>();
        foreach (var entry in entries.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!TryParseNetwork(entry, out var network, out problem))
            {
                networks = [];
                problem = $"{flag}: {problem}";
                return false;
            }

            parsed.Add(network);
        }

        networks = [.. parsed];
        problem = string.Empty;
        return true;
    }

    // ::ffff:10.0.0.1 is 10.0.0.1 on the wire; judge it as the IPv4 address it is.
    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
