using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>An IPv4 range in CIDR notation (<c>10.96.0.0/12</c>), for service and pod address allocation.</summary>
internal readonly record struct Ipv4Cidr(uint Network, int PrefixLength)
{
    /// <summary>How many addresses the range spans (network and last address included).</summary>
    public long Size => 1L << (32 - PrefixLength);

    public static Ipv4Cidr Parse(string text)
    {
        if (!TryParse(text, out var cidr))
        {
            throw new FormatException($"\"{text}\" is not an IPv4 CIDR such as 10.96.0.0/12");
        }

        return cidr;
    }

    public static bool TryParse(string? text, out Ipv4Cidr cidr)
    {
        cidr = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 1 or > 30)
        {
            return false;
        }

        var mask = uint.MaxValue << (32 - prefix);
        cidr = new Ipv4Cidr(ToUInt(address) & mask, prefix);
        return true;
    }

    /// <summary>The address <paramref name="offset"/> places into the range (0 is the network address).</summary>
    public IPAddress At(long offset)
    {
        if (offset < 0 || offset >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"outside {this}");
        }

        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Network + (uint)offset);
        return new IPAddress(bytes);
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (ToUInt(address) & (uint.MaxValue << (32 - PrefixLength))) == Network;

    public bool Contains(string? address) => IPAddress.TryParse(address, out var ip) && Contains(ip);

    /// <summary>The offset of an address inside the range, or -1.</summary>
    public long OffsetOf(string? address) => IPAddress.TryParse(address, out var ip) && Contains(ip) ? ToUInt(ip) - Network : -1;

    /// <summary>Whether the whole range is loopback (127.0.0.0/8), where any address can be bound without configuration on Linux.</summary>
    public bool IsLoopback => (Network >> 24) == 127 && PrefixLength >= 8;

    public static bool IsLoopbackAddress(string? address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && ip.GetAddressBytes()[0] == 127;

    private static uint ToUInt(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public override string ToString() => $"{At(0)}/{PrefixLength}";
}
