using System.Buffers;
using System.Text;

namespace TunnelOperator.Edge.FrontDoor;

/// <summary>What <see cref="ClientHelloParser.TryParse"/> found at the start of a connection.</summary>
public enum ClientHelloStatus
{
    /// <summary>A whole ClientHello; <see cref="ClientHelloInfo"/> says what it asked for.</summary>
    Complete,
    /// <summary>A valid prefix so far; read more (within the size and time limits).</summary>
    NeedMoreData,
    /// <summary>The first bytes are not a TLS handshake record.</summary>
    NotTls,
    /// <summary>TLS records that do not hold a well-formed ClientHello.</summary>
    Malformed,
    /// <summary>The ClientHello is, or announces itself, larger than allowed.</summary>
    TooLarge,
}

/// <summary>The parts of a ClientHello routing needs.</summary>
public sealed record ClientHelloInfo(string? ServerName, IReadOnlyList<string> ApplicationProtocols);

/// <summary>
/// Reads a TLS ClientHello without consuming it (RFC 8446 sections 4.1.2 and 5.1, RFC 6066
/// section 3, RFC 7301):
/// <code>
///   record    : type 22 (1) | version 3.x (2) | length (2, at most 2^14) | fragment
///   handshake : type 1 (1) | length (3) | body, split over as many records as it takes
///   body      : version (2) | random (32) | session id (1+n) | cipher suites (2+n)
///               | compression (1+n) | extensions (2+n): type (2) | length (2) | data
///   server_name (0)  : list length (2) | name type 0 (1) | name length (2) | name
///   ALPN (16)        : list length (2) | protocol length (1) | protocol ...
/// </code>
/// Never throws on input; every outcome is a <see cref="ClientHelloStatus"/>.
/// </summary>
public static class ClientHelloParser
{
    /// <summary>Largest ClientHello accepted by default: post-quantum key shares make them ~2 KB today.</summary>
    public const int DefaultMaxHelloBytes = 16 * 1024;

    private const byte HandshakeRecord = 22;
    private const byte ClientHelloType = 1;
    private const int RecordHeader = 5;
    private const int MaxFragment = 1 << 14;

    /// <summary>
    /// Most records a ClientHello may be split over. Clients send one or two; tools that split
    /// it to get past middleboxes use a few. A cap keeps a peer trickling one-byte records from
    /// making each read re-walk thousands of them.
    /// </summary>
    public const int MaxHelloRecords = 64;

    public static ClientHelloStatus TryParse(ReadOnlySequence<byte> buffer, out ClientHelloInfo? info, int maxHelloBytes = DefaultMaxHelloBytes)
    {
        info = null;
        var reader = new SequenceReader<byte>(buffer);
        var fragments = new List<ReadOnlySequence<byte>>();
        long gathered = 0;
        long needed = -1;

        // 1. Walk the records, collecting handshake fragments until the message is whole.
        while (needed < 0 || gathered < needed)
        {
            if (!reader.TryRead(out var type))
            {
                return ClientHelloStatus.NeedMoreData;
            }

            if (type != HandshakeRecord)
            {
                // The first byte decides whether this is TLS at all; a later non-handshake
                // record before the ClientHello is complete is a broken handshake.
                return fragments.Count == 0 ? ClientHelloStatus.NotTls : ClientHelloStatus.Malformed;
            }

            if (!reader.TryRead(out var major))
            {
                return ClientHelloStatus.NeedMoreData;
            }

            if (major != 3)
            {
                return fragments.Count == 0 ? ClientHelloStatus.NotTls : ClientHelloStatus.Malformed;
            }

            if (!reader.TryRead(out _) || !reader.TryReadBigEndian(out short signedLength))
            {
                return ClientHelloStatus.NeedMoreData;
            }

            var length = (ushort)signedLength;
            if (length == 0 || length > MaxFragment)
            {
                return ClientHelloStatus.Malformed;
            }

            if (reader.Remaining < length)
            {
                // An incomplete first record may already announce a ClientHello that is too large
                // (or is no ClientHello): say so now rather than wait for bytes that need not come.
                if (fragments.Count == 0 && reader.Remaining >= 4)
                {
                    var early = new SequenceReader<byte>(reader.UnreadSequence);
                    early.TryRead(out var earlyType);
                    early.TryRead(out var e0);
                    early.TryRead(out var e1);
                    early.TryRead(out var e2);
                    if (earlyType != ClientHelloType)
                    {
                        return ClientHelloStatus.Malformed;
                    }

                    if (((e0 << 16) | (e1 << 8) | e2) > maxHelloBytes)
                    {
                        return ClientHelloStatus.TooLarge;
                    }
                }

                return gathered + reader.Remaining > maxHelloBytes + 4 ? ClientHelloStatus.TooLarge : ClientHelloStatus.NeedMoreData;
            }

            if (fragments.Count == MaxHelloRecords)
            {
                return ClientHelloStatus.Malformed;
            }

            fragments.Add(reader.UnreadSequence.Slice(0, length));
            reader.Advance(length);
            gathered += length;

            // 2. The handshake header (type and 24-bit length) may itself span records.
            if (needed < 0 && gathered >= 4)
            {
                var header = new SequenceReader<byte>(Join(fragments, gathered));
                header.TryRead(out var handshakeType);
                header.TryRead(out var b0);
                header.TryRead(out var b1);
                header.TryRead(out var b2);
                if (handshakeType != ClientHelloType)
                {
                    return ClientHelloStatus.Malformed;
                }

                var bodyLength = (b0 << 16) | (b1 << 8) | b2;
                if (bodyLength > maxHelloBytes)
                {
                    return ClientHelloStatus.TooLarge;
                }

                needed = 4 + bodyLength;
            }
        }

        // 3. The body. Bytes after the message in its last record belong to the next
        //    handshake message, which a client must not send before the ServerHello.
        if (gathered != needed)
        {
            return ClientHelloStatus.Malformed;
        }

        var message = Join(fragments, gathered);
        return ParseBody(message.Slice(4), out info);
    }

    private static ClientHelloStatus ParseBody(ReadOnlySequence<byte> body, out ClientHelloInfo? info)
    {
        info = null;
        var reader = new SequenceReader<byte>(body);
        if (!reader.TryAdvance(2 + 32) // legacy_version, random
            || !TrySkipVector8(ref reader, max: 32) // legacy_session_id
            || !TryReadLength16(ref reader, out var suites) || suites < 2 || suites % 2 != 0 || !reader.TryAdvance(suites)
            || !reader.TryRead(out var compression) || compression < 1 || !reader.TryAdvance(compression))
        {
            return ClientHelloStatus.Malformed;
        }

        string? serverName = null;
        var alpn = new List<string>();
        if (reader.End)
        {
            // TLS 1.2 and older allow a ClientHello without extensions (so without SNI).
            info = new ClientHelloInfo(null, alpn);
            return ClientHelloStatus.Complete;
        }

        if (!TryReadLength16(ref reader, out var extensionsLength) || extensionsLength != reader.Remaining)
        {
            return ClientHelloStatus.Malformed;
        }

        var seen = new HashSet<ushort>();
        while (!reader.End)
        {
            if (!reader.TryReadBigEndian(out short signedType) || !TryReadLength16(ref reader, out var length) || reader.Remaining < length)
            {
                return ClientHelloStatus.Malformed;
            }

            var type = (ushort)signedType;
            if (!seen.Add(type))
            {
                return ClientHelloStatus.Malformed; // RFC 8446 4.2: at most one extension of each type
            }

            var data = reader.UnreadSequence.Slice(0, length);
            reader.Advance(length);
            if (type == 0 && !TryReadServerName(data, out serverName))
            {
                return ClientHelloStatus.Malformed;
            }

            if (type == 16 && !TryReadAlpn(data, alpn))
            {
                return ClientHelloStatus.Malformed;
            }
        }

        info = new ClientHelloInfo(serverName, alpn);
        return ClientHelloStatus.Complete;
    }

    private static bool TryReadServerName(ReadOnlySequence<byte> data, out string? name)
    {
        name = null;
        var reader = new SequenceReader<byte>(data);
        if (!TryReadLength16(ref reader, out var listLength) || listLength != reader.Remaining || listLength == 0)
        {
            return false;
        }

        while (!reader.End)
        {
            if (!reader.TryRead(out var nameType) || !TryReadLength16(ref reader, out var length) || length == 0 || reader.Remaining < length)
            {
                return false;
            }

            var bytes = reader.UnreadSequence.Slice(0, length);
            reader.Advance(length);
            if (nameType != 0 || name is not null)
            {
                continue; // unknown name types are skipped; only the first host_name counts
            }

            if (length > 255 || !IsHostName(bytes))
            {
                return false;
            }

            name = Encoding.ASCII.GetString(bytes).TrimEnd('.').ToLowerInvariant();
        }

        return true;
    }

    private static bool TryReadAlpn(ReadOnlySequence<byte> data, List<string> protocols)
    {
        var reader = new SequenceReader<byte>(data);
        if (!TryReadLength16(ref reader, out var listLength) || listLength != reader.Remaining || listLength < 2)
        {
            return false;
        }

        while (!reader.End)
        {
            if (!reader.TryRead(out var length) || length == 0 || reader.Remaining < length)
            {
                return false;
            }

            protocols.Add(Encoding.Latin1.GetString(reader.UnreadSequence.Slice(0, length)));
            reader.Advance(length);
        }

        return true;
    }

    // A host_name is ASCII letters, digits, '-', '.', and '_' (seen in the wild); anything
    // else (NUL, spaces, bytes above 0x7F) is refused rather than routed.
    private static bool IsHostName(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            foreach (var b in segment.Span)
            {
                if (!(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' or (byte)'_'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool TrySkipVector8(ref SequenceReader<byte> reader, int max) =>
        reader.TryRead(out var length) && length <= max && reader.TryAdvance(length);

    private static bool TryReadLength16(ref SequenceReader<byte> reader, out int length)
    {
        var ok = reader.TryReadBigEndian(out short value);
        length = (ushort)value;
        return ok;
    }

    private static bool TryAdvance(this ref SequenceReader<byte> reader, long count)
    {
        if (reader.Remaining < count)
        {
            return false;
        }

        reader.Advance(count);
        return true;
    }

    // One fragment (the usual case) is used as it is; several are copied into one array.
    private static ReadOnlySequence<byte> Join(List<ReadOnlySequence<byte>> fragments, long length)
    {
        if (fragments.Count == 1)
        {
            return fragments[0];
        }

        var joined = new byte[length];
        var offset = 0;
        foreach (var fragment in fragments)
        {
            fragment.CopyTo(joined.AsSpan(offset));
            offset += (int)fragment.Length;
        }

        return new ReadOnlySequence<byte>(joined);
    }
}
