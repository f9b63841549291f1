using System.Buffers;
using System.Buffers.Binary;

namespace TunnelOperator.Protocol.Datagrams;

public enum DatagramReadStatus
{
    /// <summary>One datagram was read; the buffer is advanced past it.</summary>
    Datagram,
    /// <summary>The frame is not complete yet.</summary>
    NeedMoreData,
}

/// <summary>
/// UDP datagrams on a byte stream (a STREAM_KIND_UDP mux stream): each is a 2-byte
/// big-endian length followed by that many bytes, so a datagram of up to 65,535 bytes (every
/// UDP payload) keeps its boundaries. Zero-length datagrams are valid UDP and are kept.
/// </summary>
public static class DatagramFrames
{
    public const int HeaderLength = 2;

    public const int MaxDatagram = ushort.MaxValue;

    /// <summary>Reads one framed datagram from the start of <paramref name="buffer"/>.</summary>
    public static DatagramReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> datagram)
    {
        datagram = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out short signed))
        {
            return DatagramReadStatus.NeedMoreData;
        }

        var length = (ushort)signed;
        if (reader.Remaining < length)
        {
            return DatagramReadStatus.NeedMoreData;
        }

        datagram = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(datagram.End);
        return DatagramReadStatus.Datagram;
    }

    /// <summary>Writes the length prefix for a datagram of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxDatagram);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
    }
}
