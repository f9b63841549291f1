using System.Buffers;
using Google.Protobuf;

namespace TunnelOperator.Protocol.Framing;

/// <summary>What one attempt to take a length-delimited message from a buffer produced.</summary>
public enum DelimitedParseStatus
{
    /// <summary>A whole message was parsed; the consumed position is past it.</summary>
    Message,
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    NeedMoreData,
    /// <summary>The length prefix is not a valid varint32 (more than 5 bytes, or overflow).</summary>
    MalformedLength,
    /// <summary>The announced length exceeds the limit; the peer is misbehaving.</summary>
    TooLarge,
    /// <summary>The payload is not a valid protobuf encoding of the expected message.</summary>
    MalformedMessage,
}

/// <summary>
/// Parses protobuf messages framed the way <c>WriteDelimitedTo</c> frames them: a base-128
/// varint length, then that many bytes. Works on a <see cref="ReadOnlySequence{T}"/> so that
/// input split across pipe segments at any byte boundary parses the same.
/// </summary>
public static class DelimitedMessageParser
{
    public const int DefaultMaxMessageSize = 64 * 1024;

    public static DelimitedParseStatus TryParse<T>(
        ref ReadOnlySequence<byte> buffer,
        MessageParser<T> parser,
        int maxMessageSize,
        out T? message)
        where T : IMessage<T>
    {
        message = default;
        var reader = new SequenceReader<byte>(buffer);
        var status = TryReadLength(ref reader, out var length);
        if (status != DelimitedParseStatus.Message)
        {
            return status;
        }

        if (length > maxMessageSize)
        {
            return DelimitedParseStatus.TooLarge;
        }

        if (reader.Remaining < length)
        {
            return DelimitedParseStatus.NeedMoreData;
        }

        var payload = buffer.Slice(reader.Position, length);
        try
        {
            message = parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException)
        {
            return DelimitedParseStatus.MalformedMessage;
        }

        buffer = buffer.Slice(payload.End);
        return DelimitedParseStatus.Message;
    }

    // A varint32 is at most 5 bytes; the fifth may only carry the top 4 bits.
    private static DelimitedParseStatus TryReadLength(ref SequenceReader<byte> reader, out int length)
    {
        length = 0;
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                return DelimitedParseStatus.NeedMoreData;
            }

            if (shift == 28 && (b & 0xF0) != 0)
            {
                return DelimitedParseStatus.MalformedLength;
            }

            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (value > int.MaxValue)
                {
                    return DelimitedParseStatus.MalformedLength;
                }

                length = (int)value;
                return DelimitedParseStatus.Message;
            }
        }

        return DelimitedParseStatus.MalformedLength;
    }
}
