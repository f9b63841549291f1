using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Protocol.ProxyProtocol;

/// <summary>
/// Encodes PROXY protocol v2 headers (proxy-protocol.txt, section 2.2):
/// <code>
///   12 bytes  signature \r\n\r\n\0\r\nQUIT\n
///    1 byte   0x2_ version | command
///    1 byte   family | transport (0x11 TCP4, 0x21 TCP6, 0x12 UDP4, 0x22 UDP6, 0x00 UNSPEC)
///    2 bytes  length of what follows, big-endian
///   12 or 36  source address, destination address, source port, destination port
///    ...      TLVs: type (1), length (2, big-endian), value
/// </code>
/// </summary>
public static class ProxyHeaderWriter
{
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public const int FixedLength = 16;

    /// <summary>The encoded size of <paramref name="header"/>.</summary>
    public static int Measure(ProxyHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var length = FixedLength + AddressLength(header);
        foreach (var tlv in header.Tlvs)
        {
            length += 3 + tlv.Value.Length;
        }

        if (length - FixedLength > ushort.MaxValue)
        {
            throw new ArgumentException($"a PROXY v2 header carries at most {ushort.MaxValue} bytes after its fixed part");
        }

        return length;
    }

    public static byte[] Encode(ProxyHeader header)
    {
        var bytes = new byte[Measure(header)];
        Write(header, bytes);
        return bytes;
    }

    /// <summary>Writes the header into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(ProxyHeader header, Span<byte> destination)
    {
        header = Normalized(header);
        var total = Measure(header);
        if (destination.Length < total)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; the header needs {total}");
        }

        Signature.CopyTo(destination);
        destination[12] = (byte)(0x20 | (byte)header.Command);
        var addressLength = AddressLength(header);
        var family = addressLength switch
        {
            12 => 0x10,
            36 => 0x20,
            _ => 0x00,
        };
        destination[13] = (byte)(family == 0 ? 0 : family | (byte)header.Transport);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)(total - FixedLength));
        var offset = FixedLength;
        if (addressLength > 0)
        {
            var size = addressLength == 12 ? 4 : 16;
            header.Source!.Address.TryWriteBytes(destination.Slice(offset, size), out _);
            header.Destination!.Address.TryWriteBytes(destination.Slice(offset + size, size), out _);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + (2 * size))..], (ushort)header.Source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + (2 * size) + 2)..], (ushort)header.Destination.Port);
            offset += addressLength;
        }

        foreach (var tlv in header.Tlvs)
        {
            destination[offset] = tlv.Type;
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 1)..], (ushort)tlv.Value.Length);
            tlv.Value.Span.CopyTo(destination[(offset + 3)..]);
            offset += 3 + tlv.Value.Length;
        }

        return total;
    }

    /// <summary>
    /// 12 for IPv4, 36 for IPv6, 0 when the header carries no addresses (LOCAL, or addresses
    /// unknown). An IPv4 client seen on a dual-stack socket arrives as ::ffff:a.b.c.d and is
    /// written as IPv4; when the two ends differ in family both are written as IPv6.
    /// </summary>
    private static int AddressLength(ProxyHeader header)
    {
        if (header.Command == ProxyCommand.Local || header.Source is null || header.Destination is null)
        {
            return 0;
        }

        return Normalize(header.Source).AddressFamily == AddressFamily.InterNetwork
            && Normalize(header.Destination).AddressFamily == AddressFamily.InterNetwork ? 12 : 36;
    }

    private static IPAddress Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;

    /// <summary>The header with both addresses in one family, ready for <see cref="Write"/>.</summary>
    public static ProxyHeader Normalized(ProxyHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Source is null || header.Destination is null)
        {
            return header;
        }

        var source = Normalize(header.Source);
        var destination = Normalize(header.Destination);
        if (source.AddressFamily != destination.AddressFamily)
        {
            source = source.MapToIPv6();
            destination = destination.MapToIPv6();
        }

        return header with { Source = new IPEndPoint(source, header.Source.Port), Destination = new IPEndPoint(destination, header.Destination.Port) };
    }
}
