using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace TunnelOperator.Protocol.Framing;

/// <summary>
/// A bidirectional channel of length-delimited protobuf messages over a byte stream (the
/// control stream of a mux session). Reads and writes may run concurrently with each other;
/// concurrent writers are serialised.
/// </summary>
public sealed class MessageChannel<TIn, TOut> : IAsyncDisposable
    where TIn : IMessage<TIn>
    where TOut : IMessage<TOut>
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly MessageParser<TIn> _parser;
    private readonly int _maxMessageSize;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public MessageChannel(Stream stream, MessageParser<TIn> parser, int maxMessageSize = DelimitedMessageParser.DefaultMaxMessageSize)
    {
        _stream = stream;
        _parser = parser;
        _maxMessageSize = maxMessageSize;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true, bufferSize: 16 * 1024));
    }

    /// <summary>
    /// Reads the next message. Returns null at a clean end of stream; throws
    /// <see cref="WireProtocolException"/> when the peer sends bytes that are not a valid message.
    /// </summary>
    public async ValueTask<TIn?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = DelimitedMessageParser.TryParse(ref buffer, _parser, _maxMessageSize, out var message);
            switch (status)
            {
                case DelimitedParseStatus.Message:
                    _reader.AdvanceTo(buffer.Start);
                    return message;
                case DelimitedParseStatus.NeedMoreData:
                    if (result.IsCompleted)
                    {
                        _reader.AdvanceTo(buffer.End);
                        if (buffer.IsEmpty)
                        {
                            return default;
                        }

                        throw new WireProtocolException($"control stream ended in the middle of a message ({buffer.Length} bytes pending)");
                    }

                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    break;
                case DelimitedParseStatus.TooLarge:
                    throw new WireProtocolException($"control message exceeds the {_maxMessageSize}-byte limit");
                case DelimitedParseStatus.MalformedLength:
                    throw new WireProtocolException("control message has a malformed length prefix");
                default:
                    throw new WireProtocolException($"control message is not a valid {typeof(TIn).Name}");
            }
        }
    }

    public async ValueTask WriteAsync(TOut message, CancellationToken cancellationToken = default)
    {
        var size = message.CalculateSize();
        var total = CodedOutputStream.ComputeLengthSize(size) + size;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var output = new CodedOutputStream(rented);
            output.WriteLength(size);
            message.WriteTo(output);
            output.Flush();
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(rented.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }
}
