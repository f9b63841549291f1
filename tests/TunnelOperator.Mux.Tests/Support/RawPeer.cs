using System.Buffers;
using System.IO.Pipelines;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux.Tests.Support;

/// <summary>
/// A hand-driven yamux peer that writes whatever frames (or bytes) a test tells it to,
/// malformed ones included, and reads back what the session under test sends.
/// </summary>
internal sealed class RawPeer(IDuplexPipe pipe) : IAsyncDisposable
{
    public static readonly byte[] NoPayload = [];

    public async Task SendAsync(FrameHeader header, ReadOnlyMemory<byte> payload = default)
    {
        var head = new byte[FrameHeader.Size];
        header.Write(head);
        await pipe.Output.WriteAsync(head, Within.Token);
        if (!payload.IsEmpty)
        {
            await pipe.Output.WriteAsync(payload, Within.Token);
        }
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await pipe.Output.WriteAsync(bytes, Within.Token);

    public Task SendAsync(FrameType type, FrameFlags flags, uint streamId, uint length) =>
        SendAsync(new FrameHeader(type, flags, streamId, length));

    public Task SendDataAsync(uint streamId, ReadOnlyMemory<byte> payload, FrameFlags flags = FrameFlags.None) =>
        SendAsync(new FrameHeader(FrameType.Data, flags, streamId, (uint)payload.Length), payload);

    /// <summary>The next frame the session sent, or null at the end of the transport.</summary>
    public async Task<(FrameHeader Header, byte[] Payload)?> ReadFrameAsync()
    {
        while (true)
        {
            var result = await pipe.Input.ReadAsync(Within.Token).AsTask().Bound();
            var buffer = result.Buffer;
            var rest = buffer;
            if (FrameHeader.TryParse(ref rest, out var header))
            {
                var length = header.Type == FrameType.Data ? header.Length : 0;
                if (rest.Length >= length)
                {
                    var payload = rest.Slice(0, length).ToArray();
                    pipe.Input.AdvanceTo(rest.GetPosition(length));
                    return (header, payload);
                }
            }

            if (result.IsCompleted)
            {
                pipe.Input.AdvanceTo(buffer.End);
                return null;
            }

            pipe.Input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads frames until one matches; fails if the transport ends first.</summary>
    public async Task<(FrameHeader Header, byte[] Payload)> ExpectAsync(Func<FrameHeader, bool> match, string what)
    {
        while (true)
        {
            var frame = await ReadFrameAsync() ?? throw new Xunit.Sdk.XunitException($"the transport ended before {what}");
            if (match(frame.Header))
            {
                return frame;
            }
        }
    }

    /// <summary>Reads frames until the session closes the transport, returning all of them.</summary>
    public async Task<List<FrameHeader>> ReadToEndAsync()
    {
        List<FrameHeader> frames = [];
        while (await ReadFrameAsync() is { } frame)
        {
            frames.Add(frame.Header);
        }

        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        await pipe.Output.CompleteAsync();
        await pipe.Input.CompleteAsync();
    }
}
