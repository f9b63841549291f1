using Google.Protobuf;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Protocol.Framing;

/// <summary>Writes and reads the <see cref="StreamHeader"/> that starts every data stream.</summary>
public static class StreamHeaders
{
    public const int MaxHeaderSize = 4 * 1024;

    public static async ValueTask WriteAsync(Stream stream, StreamHeader header, CancellationToken cancellationToken)
    {
        var size = header.CalculateSize();
        var buffer = new byte[CodedOutputStream.ComputeLengthSize(size) + size];
        var output = new CodedOutputStream(buffer);
        output.WriteLength(size);
        header.WriteTo(output);
        output.Flush();
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a data stream on <paramref name="mux"/> and writes its header. A stream whose
    /// header could not be sent is reset and released before the failure is rethrown.
    /// </summary>
    public static async ValueTask<MuxStream> OpenAsync(MuxSession mux, StreamHeader header, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mux);
        var stream = await mux.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(stream, header, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            stream.Abort();
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads exactly one header byte by byte, so that no payload byte after it is consumed
    /// (the rest of the stream is spliced verbatim). Headers are a few dozen bytes.
    /// </summary>
    public static async ValueTask<StreamHeader> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 14)
            {
                throw new WireProtocolException("stream header length prefix is malformed");
            }

            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new WireProtocolException("stream ended before its header");
            }

            length |= (one[0] & 0x7F) << shift;
            if ((one[0] & 0x80) == 0)
            {
                break;
            }
        }

        if (length > MaxHeaderSize)
        {
            throw new WireProtocolException($"stream header exceeds the {MaxHeaderSize}-byte limit");
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        try
        {
            return StreamHeader.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new WireProtocolException($"stream header is not valid: {e.Message}");
        }
    }
}
