using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux;

/// <summary>
/// One yamux stream: a full-duplex byte stream with flow control in each direction
/// (spec.md, "Flow Control"). Writes go out as Data frames at once (<see cref="FlushAsync(CancellationToken)"/>
/// does nothing) and wait while the peer's window is used up. Reads drain a buffer bounded by
/// the window we granted; consuming half of it sends the peer a window update, so a slow
/// reader slows the writer down. <see cref="CompleteWritesAsync"/> half-closes (FIN);
/// <see cref="Abort"/> resets (RST). One reader and one writer at a time.
/// </summary>
public sealed partial class MuxStream : Stream
{
    // A batch of writes goes out under one flush; capping it keeps other streams' frames,
    // window updates and pings from queueing behind a large write.
    private const int MaxWriteBatch = 256 * 1024;

    // CopyToAsync hands the destination at most this much before counting it consumed, so
    // window updates are not held back behind a whole window's worth of writes.
    private const int MaxCopyBatch = 256 * 1024;

    private const int Idle = 0;
    private const int Reading = 1;
    private const int Disposed = 2;

    private static readonly PipeOptions InboundPipeOptions = new(
        pool: Transport.BlockPool.Instance,
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, // never blocks the receive loop; the window bounds what is buffered
        resumeWriterThreshold: 0,
        useSynchronizationContext: false);

    private readonly MuxSession _session;
    private readonly Lock _gate = new();
    private readonly Pipe _inbound = new(InboundPipeOptions);
    private readonly int _updateThreshold;
    private long _sendWindow = MuxOptions.InitialWindow;
    private TaskCompletionSource? _windowWaiter;
    private long _receiveCredit;
    private long _unacknowledged;
    private bool _finSent;
    private bool _finReceived;
    private bool _inboundClosed;
    private string? _failure;
    private ITimer? _closeTimer;
    private int _readState;
    private int _disposed;

    internal MuxStream(MuxSession session, uint id, int initialReceiveCredit)
    {
        _session = session;
        Id = id;
        _receiveCredit = initialReceiveCredit;
        _updateThreshold = session.Options.ReceiveWindow / 2;
    }

    /// <summary>The stream id: odd when the client opened it, even when the server did.</summary>
    public uint Id { get; }

    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    public override bool CanWrite => Volatile.Read(ref _disposed) == 0;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Reads what the peer sent. Returns 0 after the peer's FIN and the data before it. After
    /// a reset by the peer or the end of the session, the data that had already arrived is
    /// still read (as after a session close in hashicorp/yamux), then reads throw
    /// <see cref="MuxException"/>; after our own <see cref="Abort"/> they throw at once. A
    /// zero-length read waits until data or the end is available without consuming anything.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnterRead();
        try
        {
            var reader = _inbound.Reader;
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            if (data.IsEmpty)
            {
                reader.AdvanceTo(data.Start);
                return EndOfData();
            }

            if (buffer.IsEmpty)
            {
                reader.AdvanceTo(data.Start);
                return 0;
            }

            var count = (int)Math.Min(buffer.Length, data.Length);
            data.Slice(0, count).CopyTo(buffer.Span);
            reader.AdvanceTo(data.GetPosition(count));
            OnConsumed(count);
            return count;
        }
        finally
        {
            ExitRead();
        }
    }

    /// <summary>
    /// Copies what the peer sends to <paramref name="destination"/> until its FIN, straight
    /// from the receive buffer: no staging buffer, so each byte is copied once on its way out
    /// instead of twice. Each batch (at most <see cref="MaxCopyBatch"/> bytes) is written and
    /// flushed before it counts as consumed, so window updates still follow what the
    /// destination took. Ends like <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>:
    /// normally after FIN, with <see cref="MuxException"/> after a reset or the end of the
    /// session. <paramref name="bufferSize"/> is not used.
    /// </summary>
    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        EnterRead();
        try
        {
            var reader = _inbound.Reader;
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var data = result.Buffer;
                if (data.IsEmpty)
                {
                    reader.AdvanceTo(data.Start);
                    EndOfData();
                    return;
                }

                // The length is taken now: once advanced past, the pipe recycles the segments
                // and a sequence over them no longer measures what it did.
                var length = (int)Math.Min(data.Length, MaxCopyBatch);
                var batch = data.Slice(0, length);
                try
                {
                    foreach (var segment in batch)
                    {
                        await destination.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                    }

                    await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    reader.AdvanceTo(data.Start); // the pipe must be advanced before the reader completes
                    throw;
                }

                reader.AdvanceTo(batch.End);
                OnConsumed(length);
            }
        }
        finally
        {
            ExitRead();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Sends <paramref name="buffer"/> as Data frames, waiting for send window as needed.
    /// Cancellation stops waiting; bytes already sent stay sent.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var granted = await ReserveWindowAsync(Math.Min(buffer.Length, MaxWriteBatch), cancellationToken).ConfigureAwait(false);
            try
            {
                await _session.Writer.WriteDataAsync(Id, buffer[..granted], cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ReturnWindow(granted); // nothing was written
                throw;
            }

            buffer = buffer[granted..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Does nothing: every write is already on the transport when it returns.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    /// <summary>
    /// Half-closes: sends FIN after everything written so far. Reads go on until the peer's
    /// FIN. Idempotent. If the peer does not FIN within the stream close timeout, the stream is reset.
    /// </summary>
    public async Task CompleteWritesAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            if (_finSent)
            {
                return;
            }

            ThrowIfFailed();
            _finSent = true;
        }

        var fin = new FrameHeader(FrameType.WindowUpdate, FrameFlags.Fin, Id, 0);
        try
        {
            await _session.Writer.WriteFrameAsync(fin, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _session.Enqueue(fin); // the FIN is owed either way; send it without waiting
            throw;
        }
        finally
        {
            AfterFinSent();
        }
    }

    /// <summary>Resets the stream (RST): pending and later reads and writes fail on both sides.</summary>
    public void Abort() => Reset($"stream {Id} was aborted", sendRst: true, dropUnread: true);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Closes the stream and releases it from the session; never throws. Sends FIN if we had
    /// not, or RST instead if the peer is still sending: nobody will read its data anymore.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            base.Dispose(disposing);
            return;
        }

        FrameHeader? frame = null;
        lock (_gate)
        {
            if (_failure is null)
            {
                if (!_finReceived)
                {
                    frame = new FrameHeader(FrameType.WindowUpdate, FrameFlags.Rst, Id, 0);
                    _failure = $"stream {Id} was disposed";
                }
                else if (!_finSent)
                {
                    frame = new FrameHeader(FrameType.WindowUpdate, FrameFlags.Fin, Id, 0);
                    _finSent = true;
                }
            }

            _failure ??= $"stream {Id} was disposed";
            CloseInboundLocked(_failure, dropUnread: true);
            WakeWriterLocked();
        }

        if (frame is { } f)
        {
            _session.Enqueue(f);
        }

        _closeTimer?.Dispose();
        _session.Release(this);
        if (Interlocked.Exchange(ref _readState, Disposed) == Idle)
        {
            _inbound.Reader.Complete();
        }

        base.Dispose(disposing);
    }

    /// <summary>The pipe is drained and complete: a clean end after FIN, otherwise the failure.</summary>
    private int EndOfData()
    {
        lock (_gate)
        {
            if (!_finReceived && _failure is not null)
            {
                throw new MuxException(_failure);
            }

            return 0;
        }
    }

    private void EnterRead()
    {
        var state = Interlocked.CompareExchange(ref _readState, Reading, Idle);
        ObjectDisposedException.ThrowIf(state == Disposed, this);

        if (state == Reading)
        {
            throw new InvalidOperationException("another read is already pending on this stream");
        }
    }

    private void ExitRead()
    {
        // A dispose that raced with this read left completing the pipe's reader to us.
        if (Interlocked.CompareExchange(ref _readState, Idle, Reading) == Disposed)
        {
            _inbound.Reader.Complete();
        }
    }

    private ValueTask<int> ReserveWindowAsync(int wanted, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (TryTakeWindowLocked(wanted, out var granted))
            {
                return new ValueTask<int>(granted);
            }
        }

        return WaitForWindowAsync(wanted, cancellationToken);
    }

    private async ValueTask<int> WaitForWindowAsync(int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wake;
            lock (_gate)
            {
                if (TryTakeWindowLocked(wanted, out var granted))
                {
                    return granted;
                }

                _windowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wake = _windowWaiter.Task;
            }

            await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryTakeWindowLocked(int wanted, out int granted)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ThrowIfFailed();
        if (_finSent)
        {
            throw new MuxException($"stream {Id} is closed for writing");
        }

        granted = (int)Math.Min(wanted, _sendWindow);
        _sendWindow -= granted;
        return granted > 0;
    }

    private void ReturnWindow(int count)
    {
        lock (_gate)
        {
            _sendWindow += count;
            WakeWriterLocked();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new MuxException(_failure);
        }
    }

    private void WakeWriterLocked()
    {
        _windowWaiter?.TrySetResult();
        _windowWaiter = null;
    }
}
