using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace TunnelOperator.Mux.Transport;

/// <summary>
/// The socket under a mux session's TLS stream. Reads go straight to the socket, as large as
/// the reader asks. Writes are gathered under load: a small write (a request's headers, a
/// window update, one TLS record of a short response) that follows the previous one within
/// <see cref="BusyInterval"/> is copied into a pending buffer and sent by a send task together
/// with whatever else is written meanwhile, so many concurrent streams share one send call, as
/// on Kestrel's transport. A large write, or a small one after a quiet spell, finding nothing
/// in flight is sent at once by the writer, without a copy or a thread hop: bulk transfers
/// and sparse requests pay neither.
/// <list type="bullet">
/// <item>Bytes go out in the order they were written.</item>
/// <item>A write returns once its bytes are sent or queued; writers wait only while more than
///   <see cref="MaxPending"/> bytes are queued (back-pressure from a slow peer).</item>
/// <item><see cref="FlushAsync(CancellationToken)"/> does not wait for the send: queued bytes
///   are always on their way. <see cref="WhenSentAsync"/> waits for them; disposing waits up to
///   <see cref="CloseGrace"/> for them, then closes the socket.</item>
/// <item>A failed send fails every later write with the same error.</item>
/// </list>
/// One writer and one reader at a time, as for any stream (TLS serialises its writes).
/// </summary>
public sealed class CoalescingSocketStream : Stream
{
    /// <summary>Writes at least this large are sent by the writer itself when nothing is in flight.</summary>
    public const int InlineThreshold = 16 * 1024;

    /// <summary>Queued bytes beyond which writers wait for the send task to catch up.</summary>
    public const int MaxPending = 1024 * 1024;

    /// <summary>Writes closer together than this count as load (see <see cref="IsBusyLocked"/>).</summary>
    public static readonly TimeSpan BusyInterval = TimeSpan.FromMicroseconds(100);

    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private static readonly long BusyTicks = (long)(BusyInterval.TotalSeconds * Stopwatch.Frequency);

    private readonly Socket _socket;
    private readonly Lock _gate = new();
    // They start small (an edge may hold thousands of idle agent connections) and grow to what
    // the session's load queues between two sends, at most about MaxPending plus one write.
    private ArrayBufferWriter<byte> _pending = new(4 * 1024);
    private ArrayBufferWriter<byte> _spare = new(4 * 1024);
    private bool _sending; // guarded by _gate: a writer or the send task owns the socket's send side
    private Exception? _failure; // guarded by _gate
    private TaskCompletionSource? _taken; // guarded by _gate: completed when the sender takes the queue (back-pressure)
    private TaskCompletionSource? _idle; // guarded by _gate: completed when nothing is queued or being sent
    private long _lastWrite; // guarded by _gate: Stopwatch ticks of the previous write
    private int _disposed;
    private volatile bool _drainedForDispose;

    public CoalescingSocketStream(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    public Socket Socket => _socket;

    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    public override bool CanWrite => Volatile.Read(ref _disposed) == 0;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => _socket.Receive(buffer, offset, count, SocketFlags.None);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        Task? backPressure = null;
        bool sendDirectly = false, startSender = false;
        lock (_gate)
        {
            ThrowIfUnusableLocked();
            if (_sending)
            {
                _pending.Write(buffer.Span);
                if (_pending.WrittenCount >= MaxPending)
                {
                    backPressure = (_taken ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }
            else if (buffer.Length >= InlineThreshold || !IsBusyLocked())
            {
                _sending = true;
                sendDirectly = true;
            }
            else
            {
                _pending.Write(buffer.Span);
                _sending = true;
                startSender = true;
            }
        }

        if (sendDirectly)
        {
            try
            {
                await SendAllAsync(buffer).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Fail(e);
                throw new IOException($"sending to the peer failed: {e.Message}", e);
            }

            // Whatever was queued meanwhile (nothing, unless another writer raced in) goes next.
            await SendQueuedAsync().ConfigureAwait(false);
            ThrowIfFailed();
        }
        else if (startSender)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.SendQueuedAsync(), this, preferLocal: false);
        }
        else if (backPressure is not null)
        {
            await backPressure.WaitAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfFailed();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Does not wait: queued bytes are already being sent.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfUnusableLocked();
        }

        return Task.CompletedTask;
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        // A GoAway or close_notify written just before disposal is still worth delivering.
        try
        {
            await WhenSentAsync(CancellationToken.None).WaitAsync(CloseGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer stopped reading; what is still queued is lost with the connection.
        }

        _drainedForDispose = true;
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (!_drainedForDispose)
            {
                WhenSentAsync(CancellationToken.None).Wait(CloseGrace);
            }

            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Completes once every byte written so far has been handed to the socket (or sending has
    /// failed): for a caller that is about to shut the socket down itself.
    /// </summary>
    public Task WhenSentAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _sending
                ? (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(cancellationToken)
                : Task.CompletedTask;
        }
    }

    /// <summary>Sends queued bytes until the queue is empty, then gives up the send side.</summary>
    private async Task SendQueuedAsync()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            lock (_gate)
            {
                if (_pending.WrittenCount == 0 || _failure is not null)
                {
                    _sending = false;
                    WakeLocked(ref _taken);
                    WakeLocked(ref _idle);
                    return;
                }

                batch = _pending;
                _pending = _spare;
                _spare = batch;
                WakeLocked(ref _taken); // the queue is empty again: writers held back may go on
            }

            try
            {
                await SendAllAsync(batch.WrittenMemory).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Fail(e);
                return;
            }
            finally
            {
                batch.ResetWrittenCount();
            }
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private void Fail(Exception e)
    {
        lock (_gate)
        {
            _failure ??= e;
            _sending = false;
            WakeLocked(ref _taken);
            WakeLocked(ref _idle);
        }
    }

    /// <summary>
    /// True when the previous write came less than <see cref="BusyInterval"/> ago: under load,
    /// small writes wait for the send task and share its send call; when writes are sparse
    /// (a request now and then) waking a send task would only add its latency.
    /// </summary>
    private bool IsBusyLocked()
    {
        var now = Stopwatch.GetTimestamp();
        var busy = now - _lastWrite < BusyTicks;
        _lastWrite = now;
        return busy;
    }

    private static void WakeLocked(ref TaskCompletionSource? waiters)
    {
        waiters?.TrySetResult();
        waiters = null;
    }

    private void ThrowIfFailed()
    {
        lock (_gate)
        {
            ThrowIfUnusableLocked();
        }
    }

    private void ThrowIfUnusableLocked()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_failure is { } failure)
        {
            throw new IOException($"sending to the peer failed: {failure.Message}", failure);
        }
    }
}
