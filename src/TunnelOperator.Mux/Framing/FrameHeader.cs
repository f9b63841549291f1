using System.Buffers;
using System.Buffers.Binary;

namespace TunnelOperator.Mux.Framing;

/// <summary>
/// The fixed 12-byte yamux header (spec.md, "Framing"), all fields big-endian:
/// <code>
/// | version (1) | type (1) | flags (2) | stream id (4) | length (4) |
/// </code>
/// The meaning of <see cref="Length"/> depends on the type: payload size for Data, window
/// delta for WindowUpdate, opaque value for Ping, reason code for GoAway.
/// </summary>
internal readonly record struct FrameHeader(FrameType Type, FrameFlags Flags, uint StreamId, uint Length, byte Version = FrameHeader.ProtocolVersion)
{
    public const int Size = 12;
    public const byte ProtocolVersion = 0;

    /// <summary>
    /// Reads one header from the front of <paramref name="buffer"/> and slices it off. Returns
    /// false, consuming nothing, when fewer than 12 bytes are buffered. It never judges the
    /// values; <see cref="Check"/> does.
    /// </summary>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, out FrameHeader header)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.Remaining < Size
            || !reader.TryRead(out byte version)
            || !reader.TryRead(out byte type)
            || !reader.TryReadBigEndian(out short flags)
            || !reader.TryReadBigEndian(out int streamId)
            || !reader.TryReadBigEndian(out int length))
        {
            header = default;
            return false;
        }

        header = new FrameHeader((FrameType)type, (FrameFlags)(ushort)flags, (uint)streamId, (uint)length, version);
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    /// <summary>Writes the header into the first 12 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        destination[0] = Version;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>
    /// Judges a parsed header against the spec and our limits. Data and WindowUpdate belong
    /// to a stream, so id 0 is invalid for them; Ping and GoAway belong to the session and
    /// "use a StreamID of 0" (spec.md, "Ping Type" / "Go Away Type"). A Data length above
    /// <paramref name="maxDataLength"/> can never fit the window we grant.
    /// </summary>
    public FrameError Check(uint maxDataLength)
    {
        if (Version != ProtocolVersion)
        {
            return FrameError.UnsupportedVersion;
        }

        return Type switch
        {
            FrameType.Data when StreamId == 0 => FrameError.StreamFrameOnSessionId,
            FrameType.Data when Length > maxDataLength => FrameError.FrameTooLarge,
            FrameType.WindowUpdate when StreamId == 0 => FrameError.StreamFrameOnSessionId,
            FrameType.Ping or FrameType.GoAway when StreamId != 0 => FrameError.SessionFrameOnStreamId,
            FrameType.Data or FrameType.WindowUpdate or FrameType.Ping or FrameType.GoAway => FrameError.None,
            _ => FrameError.UnknownType,
        };
    }

    public bool Has(FrameFlags flag) => (Flags & flag) != 0;

    public override string ToString() => $"{Type} flags={Flags} stream={StreamId} length={Length} version={Version}";
}
