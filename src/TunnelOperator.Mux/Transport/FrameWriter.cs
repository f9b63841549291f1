using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux.Transport;

/// <summary>
/// Serialises frames onto the transport. One async lock orders whole frames, so the header
/// and payload of one frame never interleave with another. Three kinds of writer share it:
/// <list type="number">
/// <item>stream writes put up to one batch of Data frames into the pipe and flush once;</item>
/// <item>frames that must precede later frames (SYN, ACK, FIN, GoAway) are written directly by the awaiting caller;</item>
/// <item>frames raised by the receive loop, timers or synchronous calls (window updates, ping
///   answers, RST) are queued and written by a control loop, so none of them ever waits on
///   the transport: a receive loop that blocked on writing could deadlock against a peer
///   doing the same.</item>
/// </list>
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds nothing to dispose unless its AvailableWaitHandle is used, and waiters may still hold it when the session ends.")]
internal sealed class FrameWriter
{
    /// <summary>Queued control frames beyond this mean the peer sends faster than it reads; the session ends.</summary>
    public const int MaxQueuedControlFrames = 4096;

    // Real time, not the injected clock: this bounds how long closing may wait for a
    // transport that ignores cancellation, so a session on a fake clock still closes.
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly PipeWriter _output;
    private readonly int _maxFrameSize;
    private readonly TimeProvider _time;
    private readonly Func<MuxException> _closedError;
    private readonly Action<string> _onTransportFailure;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Channel<FrameHeader> _control = Channel.CreateUnbounded<FrameHeader>(new UnboundedChannelOptions { SingleReader = true });
    private int _queuedControl;
    private int _flushing;
    private long _flushStarted;
    private volatile bool _closing;
    private bool _completed; // guarded by _lock

    public FrameWriter(PipeWriter output, int maxFrameSize, TimeProvider time, Func<MuxException> closedError, Action<string> onTransportFailure)
    {
        _output = output;
        _maxFrameSize = maxFrameSize;
        _time = time;
        _closedError = closedError;
        _onTransportFailure = onTransportFailure;
    }

    /// <summary>Queues a payload-less frame for the control loop; never blocks.</summary>
    public EnqueueResult Enqueue(FrameHeader header)
    {
        if (_closing)
        {
            return EnqueueResult.Closed;
        }

        if (Interlocked.Increment(ref _queuedControl) > MaxQueuedControlFrames)
        {
            Interlocked.Decrement(ref _queuedControl);
            return EnqueueResult.Overflow;
        }

        if (!_control.Writer.TryWrite(header))
        {
            Interlocked.Decrement(ref _queuedControl);
            return EnqueueResult.Closed;
        }

        return EnqueueResult.Queued;
    }

    /// <summary>Writes the queued control frames as they come, one flush per batch, until closed.</summary>
    public async Task RunControlLoopAsync(CancellationToken stopping)
    {
        try
        {
            while (await _control.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                await AcquireAsync(stopping).ConfigureAwait(false);
                try
                {
                    if (WriteQueuedLocked() > 0)
                    {
                        await FlushLockedAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    _lock.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or MuxException)
        {
            // The session is closing; whatever is still queued no longer matters.
        }
    }

    /// <summary>Writes one payload-less frame and flushes; used where order matters (SYN, ACK, FIN, GoAway).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteFrameAsync(FrameHeader header, CancellationToken cancellationToken)
    {
        await AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            WriteQueuedLocked();
            WriteHeaderLocked(header);
            await FlushLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Writes <paramref name="payload"/> as Data frames of at most the frame size, then flushes
    /// once. The caller has reserved send window for all of it. Cancellation is honoured only
    /// while waiting for the lock, before any byte is written, so a cancelled write sends nothing.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteDataAsync(uint streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Window updates queued meanwhile go first: the peer may be waiting on them.
            WriteQueuedLocked();
            while (!payload.IsEmpty)
            {
                var length = Math.Min(payload.Length, _maxFrameSize);
                WriteHeaderLocked(new FrameHeader(FrameType.Data, FrameFlags.None, streamId, (uint)length));
                _output.Write(payload.Span[..length]);
                payload = payload[length..];
            }

            await FlushLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>True while a flush has been pending for at least <paramref name="limit"/>.</summary>
    public bool IsFlushStuck(TimeSpan limit) =>
        Volatile.Read(ref _flushing) == 1 && _time.GetElapsedTime(Volatile.Read(ref _flushStarted)) >= limit;

    /// <summary>
    /// Stops all writers, writes <paramref name="last"/> if given (a GoAway), and completes the
    /// transport's output. Returns false when the transport did not let go in time; the
    /// caller then disposes the underlying stream to unblock it.
    /// </summary>
    public async Task<bool> CloseAsync(FrameHeader? last)
    {
        _closing = true;
        _control.Writer.TryComplete();

        // A flush stuck on a peer that does not read would hold the lock forever; cancelling it
        // releases the writer, which then sees the session closing. The _closing/_flushing
        // pair is written before it is read on both sides, so one side always sees the other.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _flushing) == 1)
        {
            _output.CancelPendingFlush();
        }

        if (!await _lock.WaitAsync(CloseGrace).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            if (_completed)
            {
                return true;
            }

            _completed = true;
            if (last is { } frame)
            {
                WriteHeaderLocked(frame);
                using var grace = new CancellationTokenSource(CloseGrace);
                try
                {
                    await _output.FlushAsync(grace.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
                {
                    // Best effort: the transport is going away in any case.
                }
            }

            try
            {
                await _output.CompleteAsync().AsTask().WaitAsync(CloseGrace).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                return false;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (_closing)
        {
            throw _closedError();
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_closing || _completed)
        {
            _lock.Release();
            throw _closedError();
        }
    }

    private int WriteQueuedLocked()
    {
        var written = 0;
        while (_control.Reader.TryRead(out var header))
        {
            Interlocked.Decrement(ref _queuedControl);
            WriteHeaderLocked(header);
            written++;
        }

        return written;
    }

    private void WriteHeaderLocked(FrameHeader header)
    {
        var span = _output.GetSpan(FrameHeader.Size);
        header.Write(span);
        _output.Advance(FrameHeader.Size);
    }

    private async ValueTask FlushLockedAsync()
    {
        Volatile.Write(ref _flushStarted, _time.GetTimestamp());
        Volatile.Write(ref _flushing, 1);
        Interlocked.MemoryBarrier();
        try
        {
            if (_closing)
            {
                throw _closedError();
            }

            FlushResult result;
            try
            {
                // No cancellation token: on a stream transport a cancelled flush can leave half
                // a frame on the wire. Closing cancels a stuck flush with CancelPendingFlush.
                result = await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                _onTransportFailure($"transport write failed: {e.Message}");
                throw new MuxException($"transport write failed: {e.Message}", e);
            }

            if (result.IsCompleted)
            {
                _onTransportFailure("the transport no longer accepts writes");
                throw _closedError();
            }

            if (result.IsCanceled)
            {
                throw _closedError();
            }
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }
}
