using System.Buffers;
using System.IO.Pipelines;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux.Tests.Support;

/// <summary>One frame seen on the wire, with the Data bytes its stream had carried before it.</summary>
internal readonly record struct TappedFrame(FrameHeader Header, long DataBefore);

/// <summary>
/// A recording wire between two sessions: forwards every byte unchanged and records each
/// frame header, so tests can wait for a frame and assert on the frame sequence.
/// </summary>
internal sealed class FrameTap
{
    private readonly Lock _gate = new();
    private readonly List<TappedFrame> _frames = [];
    private readonly Dictionary<uint, long> _dataBytes = [];
    private readonly List<(Func<TappedFrame, bool> Match, TaskCompletionSource<TappedFrame> Signal)> _waiters = [];

    public IReadOnlyList<TappedFrame> Frames
    {
        get
        {
            lock (_gate)
            {
                return [.. _frames];
            }
        }
    }

    public long DataBytes(uint streamId)
    {
        lock (_gate)
        {
            return _dataBytes.GetValueOrDefault(streamId);
        }
    }

    /// <summary>Completes with the first frame, past or future, that matches.</summary>
    public Task<TappedFrame> WaitForAsync(Func<TappedFrame, bool> match)
    {
        lock (_gate)
        {
            foreach (var frame in _frames)
            {
                if (match(frame))
                {
                    return Task.FromResult(frame);
                }
            }

            var signal = new TaskCompletionSource<TappedFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task.Bound();
        }
    }

    /// <summary>Completes once <paramref name="streamId"/> has carried at least <paramref name="bytes"/> Data bytes.</summary>
    public Task WaitForDataAsync(uint streamId, long bytes) =>
        WaitForAsync(f => f.Header.StreamId == streamId && f.Header.Type == FrameType.Data && f.DataBefore + f.Header.Length >= bytes);

    public static (IDuplexPipe Client, IDuplexPipe Server, FrameTap ClientToServer, FrameTap ServerToClient) Wire(PipeOptions? options = null)
    {
        var (clientEnd, tapClientSide) = DuplexPipe.CreatePair(options);
        var (tapServerSide, serverEnd) = DuplexPipe.CreatePair(options);
        var up = new FrameTap();
        var down = new FrameTap();
        _ = up.RunAsync(tapClientSide.Input, tapServerSide.Output);
        _ = down.RunAsync(tapServerSide.Input, tapClientSide.Output);
        return (clientEnd, serverEnd, up, down);
    }

    private async Task RunAsync(PipeReader from, PipeWriter to)
    {
        long payloadLeft = 0;
        uint payloadStream = 0;
        long forwarded = 0;
        try
        {
            while (true)
            {
                var result = await from.ReadAsync();
                var buffer = result.Buffer;

                // Frames are recorded before they are forwarded, so a test that saw a session
                // react to a frame always finds the frame recorded.
                var rest = buffer;
                while (true)
                {
                    if (payloadLeft > 0)
                    {
                        var skip = Math.Min(payloadLeft, rest.Length);
                        rest = rest.Slice(skip);
                        payloadLeft -= skip;
                        lock (_gate)
                        {
                            _dataBytes[payloadStream] = _dataBytes.GetValueOrDefault(payloadStream) + skip;
                        }

                        if (payloadLeft > 0)
                        {
                            break;
                        }

                        continue;
                    }

                    if (!FrameHeader.TryParse(ref rest, out var header))
                    {
                        break;
                    }

                    Record(header);
                    if (header.Type == FrameType.Data)
                    {
                        payloadLeft = header.Length;
                        payloadStream = header.StreamId;
                    }
                }

                // A partial header left unconsumed last time was forwarded then; not again.
                foreach (var segment in buffer.Slice(forwarded))
                {
                    to.Write(segment.Span);
                }

                var flushed = await to.FlushAsync();
                forwarded = rest.Length;

                // Consume whole frames (and payload bytes); keep a partial header for the next read.
                from.AdvanceTo(rest.Start, buffer.End);
                if (result.IsCompleted || flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await from.CompleteAsync();
            await to.CompleteAsync();
        }
    }

    private void Record(FrameHeader header)
    {
        List<TaskCompletionSource<TappedFrame>> fired = [];
        lock (_gate)
        {
            var frame = new TappedFrame(header, _dataBytes.GetValueOrDefault(header.StreamId));
            _frames.Add(frame);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(frame))
                {
                    fired.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }

            foreach (var signal in fired)
            {
                signal.TrySetResult(frame);
            }
        }
    }
}
