using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using TunnelOperator.Protocol.Framing;

namespace TunnelOperator.Protocol.Forwards;

/// <summary>What reading one delimited message at the head of a forward stream produced.</summary>
public enum ForwardFrameStatus
{
    Message,
    /// <summary>The stream ended cleanly before any byte of a message.</summary>
    EndOfStream,
    /// <summary>The stream ended in the middle of a message.</summary>
    Truncated,
    /// <summary>Bad length prefix, oversized, or not a valid message.</summary>
    Malformed,
}

/// <summary>One read result: a message, or why there is none.</summary>
public readonly record struct ForwardFrame<T>(ForwardFrameStatus Status, T? Message)
    where T : class;

/// <summary>
/// The delimited protobuf messages that open a forward stream (ForwardOpen, ForwardRequest,
/// ForwardReply), read from a <see cref="PipeReader"/> so that the bytes the peer pipelined
/// behind them stay buffered for whoever carries the stream on: the caller either keeps
/// reading the same reader (UDP frames) or hands the buffered rest to
/// <see cref="FlushBufferedAsync"/> before splicing the raw stream (TCP).
/// </summary>
public static class ForwardFraming
{
    /// <summary>Forward-stream messages are small; anything larger is a misbehaving peer.</summary>
    public const int MaxMessageSize = 8 * 1024;

    public static async ValueTask<ForwardFrame<T>> ReadAsync<T>(PipeReader reader, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = DelimitedMessageParser.TryParse(ref buffer, parser, MaxMessageSize, out var message);
            switch (status)
            {
                case DelimitedParseStatus.Message:
                    // Consumed up to the end of the message only: the rest stays unexamined,
                    // so the next read or TryRead returns it without touching the stream.
                    reader.AdvanceTo(buffer.Start);
                    return new ForwardFrame<T>(ForwardFrameStatus.Message, message);
                case DelimitedParseStatus.NeedMoreData when result.IsCompleted:
                    reader.AdvanceTo(buffer.End);
                    return new ForwardFrame<T>(buffer.IsEmpty ? ForwardFrameStatus.EndOfStream : ForwardFrameStatus.Truncated, null);
                case DelimitedParseStatus.NeedMoreData:
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    break;
                default:
                    reader.AdvanceTo(buffer.End);
                    return new ForwardFrame<T>(ForwardFrameStatus.Malformed, null);
            }
        }
    }

    /// <summary>
    /// Writes whatever <paramref name="reader"/> already holds to <paramref name="destination"/>
    /// without reading more from its stream, so that the raw stream can be spliced next.
    /// </summary>
    public static async ValueTask FlushBufferedAsync(PipeReader reader, Stream destination, CancellationToken cancellationToken)
    {
        if (!reader.TryRead(out var result))
        {
            return;
        }

        foreach (var segment in result.Buffer)
        {
            await destination.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        reader.AdvanceTo(result.Buffer.End);
    }

    /// <summary>Encodes messages back to back, each with its varint length, for one write.</summary>
    public static byte[] Encode(params ReadOnlySpan<IMessage> messages)
    {
        var total = 0;
        foreach (var message in messages)
        {
            var size = message.CalculateSize();
            total += CodedOutputStream.ComputeLengthSize(size) + size;
        }

        var bytes = new byte[total];
        var output = new CodedOutputStream(bytes);
        foreach (var message in messages)
        {
            output.WriteLength(message.CalculateSize());
            message.WriteTo(output);
        }

        output.Flush();
        return bytes;
    }

    public static async ValueTask WriteAsync(Stream stream, IMessage message, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encode(message), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
