using System.Buffers;
using System.Buffers.Binary;
using System.Net;

namespace TunnelOperator.Protocol.ProxyProtocol;

/// <summary>What <see cref="ProxyHeaderParser.TryParse"/> found at the start of a buffer.</summary>
public enum ProxyParseStatus
{
    /// <summary>A whole, valid v2 header; the buffer is advanced past it.</summary>
    Complete,
    /// <summary>So far a valid prefix; read more.</summary>
    NeedMoreData,
    /// <summary>The bytes are not a PROXY header (they do not start with either signature).</summary>
    NotProxy,
    /// <summary>A version 1 (text) header, which this parser does not accept.</summary>
    Version1,
    /// <summary>The v2 signature with a bad version, command, family or length, or TLVs that do not fit.</summary>
    Malformed,
    /// <summary>The header announces more bytes than the caller allows.</summary>
    TooLarge,
}

/// <summary>
/// Parses PROXY protocol v2 headers (proxy-protocol.txt, section 2.2) from a byte sequence
/// that may arrive in any chunking. Never throws on input: every outcome is a
/// <see cref="ProxyParseStatus"/>.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>Enough for addresses plus an AUTHORITY, ALPN and a few custom TLVs.</summary>
    public const int DefaultMaxHeaderBytes = 4096;

    private static ReadOnlySpan<byte> Version1Signature => "PROXY "u8;

    /// <summary>
    /// Parses one header from the start of <paramref name="buffer"/>. On
    /// <see cref="ProxyParseStatus.Complete"/> the buffer is sliced past it; otherwise it is
    /// left as it was.
    /// </summary>
    public static ProxyParseStatus TryParse(ref ReadOnlySequence<byte> buffer, out ProxyHeader? header, int maxHeaderBytes = DefaultMaxHeaderBytes)
    {
        header = null;
        var reader = new SequenceReader<byte>(buffer);
        var signature = ProxyHeaderWriter.Signature;

        // 1. The signature, byte by byte, so that a short prefix of it already decides.
        var prefix = StartsWith(buffer, signature);
        if (prefix == Match.No)
        {
            return StartsWith(buffer, Version1Signature) == Match.No ? ProxyParseStatus.NotProxy : ProxyParseStatus.Version1;
        }

        if (prefix == Match.Partial || buffer.Length < ProxyHeaderWriter.FixedLength)
        {
            return ProxyParseStatus.NeedMoreData;
        }

        // 2. Version and command, family and transport, and the length of the rest.
        reader.Advance(signature.Length);
        reader.TryRead(out var versionCommand);
        reader.TryRead(out var familyTransport);
        reader.TryReadBigEndian(out short signedLength);
        var length = (ushort)signedLength;
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1)
        {
            return ProxyParseStatus.Malformed;
        }

        var command = (ProxyCommand)(versionCommand & 0x0F);
        var family = familyTransport >> 4;
        var transport = familyTransport & 0x0F;
        if (family > 3 || transport > 2)
        {
            return ProxyParseStatus.Malformed;
        }

        if (ProxyHeaderWriter.FixedLength + length > maxHeaderBytes)
        {
            return ProxyParseStatus.TooLarge;
        }

        var addressLength = family switch
        {
            1 => 12,
            2 => 36,
            3 => 216,
            _ => 0,
        };
        if (length < addressLength)
        {
            return ProxyParseStatus.Malformed;
        }

        if (reader.Remaining < length)
        {
            return ProxyParseStatus.NeedMoreData;
        }

        // 3. Addresses (ignored for LOCAL, as the spec asks, and for UNIX sockets).
        IPEndPoint? source = null, destination = null;
        if (family is 1 or 2)
        {
            var size = family == 1 ? 4 : 16;
            Span<byte> address = stackalloc byte[32];
            reader.TryCopyTo(address[..(2 * size)]);
            reader.Advance(2 * size);
            reader.TryReadBigEndian(out short sourcePort);
            reader.TryReadBigEndian(out short destinationPort);
            if (command == ProxyCommand.Proxy)
            {
                source = new IPEndPoint(new IPAddress(address[..size]), (ushort)sourcePort);
                destination = new IPEndPoint(new IPAddress(address.Slice(size, size)), (ushort)destinationPort);
            }
        }
        else
        {
            reader.Advance(addressLength);
        }

        // 4. TLVs fill the rest exactly; one that runs past the end makes the header malformed.
        var tlvs = new List<ProxyTlv>();
        var remaining = length - addressLength;
        while (remaining > 0)
        {
            if (remaining < 3)
            {
                return ProxyParseStatus.Malformed;
            }

            reader.TryRead(out var type);
            reader.TryReadBigEndian(out short signedTlvLength);
            var tlvLength = (ushort)signedTlvLength;
            remaining -= 3;
            if (tlvLength > remaining)
            {
                return ProxyParseStatus.Malformed;
            }

            var value = new byte[tlvLength];
            reader.TryCopyTo(value);
            reader.Advance(tlvLength);
            remaining -= tlvLength;
            tlvs.Add(new ProxyTlv(type, value));
        }

        header = new ProxyHeader
        {
            Command = command,
            Transport = (ProxyTransport)transport,
            Source = source,
            Destination = destination,
            Tlvs = tlvs,
        };
        buffer = buffer.Slice(reader.Position);
        return ProxyParseStatus.Complete;
    }

    /// <summary>True when the bytes so far could be, or are, the start of a v1 or v2 PROXY header.</summary>
    public static bool MayBeProxyHeader(ReadOnlySequence<byte> buffer) =>
        StartsWith(buffer, ProxyHeaderWriter.Signature) != Match.No || StartsWith(buffer, Version1Signature) != Match.No;

    private enum Match
    {
        No,
        Partial,
        Full,
    }

    private static Match StartsWith(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> expected)
    {
        var reader = new SequenceReader<byte>(buffer);
        for (var i = 0; i < expected.Length; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return Match.Partial;
            }

            if (b != expected[i])
            {
                return Match.No;
            }
        }

        return Match.Full;
    }
}
