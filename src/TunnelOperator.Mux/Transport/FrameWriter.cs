using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux.Transport;

/// <summary>
/// Serialises frames onto the transport by group commit: frames are queued in order under a
/// short lock, and one writer at a time, the leader, copies everything queued into the
/// transport and flushes it. Frames queued while a flush is under way go out together in the
/// next one, so concurrent streams share TLS records and send calls instead of taking turns.
/// <list type="number">
/// <item>A stream write or an ordered frame (SYN, ACK, FIN, GoAway) that finds no leader leads
///   one round itself; otherwise it waits until a leader has flushed its frames. It returns
///   only once its bytes are on the transport, as before.</item>
/// <item>When a round ends with frames still queued, leadership passes to the first writer
///   waiting on them, so no writer serves the others indefinitely.</item>
/// <item>Frames raised by the receive loop, timers or synchronous calls (window updates, ping
///   answers, RST) are queued without waiting; a control loop leads when nobody else does, so
///   none of them ever waits on the transport: a receive loop that blocked on writing could
///   deadlock against a peer doing the same.</item>
/// </list>
/// </summary>
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
    private readonly Lock _gate = new();
    private readonly Channel<bool> _controlWakeups = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });

    // Guarded by _gate. Frames wait in _queued, in the order they go on the wire; a leader
    // swaps the list with its empty _draining twin and writes from that outside the lock.
    private List<Entry> _queued = [];
    private List<Entry> _draining = [];
    private List<Waiter> _waiters = [];
    private List<Waiter> _covered = [];
    private int _queuedControl;
    private bool _leading;
    private bool _controlScheduled;
    private TaskCompletionSource? _idle;
    private bool _closing;
    private bool _completed;

    private int _flushing;
    private long _flushStarted;

    public FrameWriter(PipeWriter output, int maxFrameSize, TimeProvider time, Func<MuxException> closedError, Action<string> onTransportFailure)
    {
        _output = output;
        _maxFrameSize = maxFrameSize;
        _time = time;
        _closedError = closedError;
        _onTransportFailure = onTransportFailure;
    }

    /// <summary>Queues a payload-less frame to go out with the next flush; never blocks.</summary>
    public EnqueueResult Enqueue(FrameHeader header)
    {
        bool wake;
        lock (_gate)
        {
            if (_closing)
            {
                return EnqueueResult.Closed;
            }

            if (_queuedControl >= MaxQueuedControlFrames)
            {
                return EnqueueResult.Overflow;
            }

            _queued.Add(new Entry(header, default, null));
            _queuedControl++;
            wake = !_leading && !_controlScheduled;
            _controlScheduled |= wake;
        }

        if (wake)
        {
            _controlWakeups.Writer.TryWrite(true);
        }

        return EnqueueResult.Queued;
    }

    /// <summary>Flushes queued control frames (and whatever else is queued) when no writer leads, until closed.</summary>
    public async Task RunControlLoopAsync(CancellationToken stopping)
    {
        try
        {
            while (await _controlWakeups.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                _controlWakeups.Reader.TryRead(out _);
                bool lead;
                lock (_gate)
                {
                    _controlScheduled = false;
                    lead = !_leading && !_closing && _queued.Count > 0;
                    _leading |= lead;
                }

                if (lead)
                {
                    await LeadAsync(untilEmpty: true).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or MuxException)
        {
            // The session is closing; whatever is still queued no longer matters.
        }
    }

    /// <summary>Writes one payload-less frame and waits until it is flushed; used where order matters (SYN, ACK, FIN, GoAway).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteFrameAsync(FrameHeader header, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = QueueOrLead(header, default, cancellationToken);
        if (waiter is null || !await waiter.WaitAsync(this, cancellationToken).ConfigureAwait(false))
        {
            await LeadAsync(untilEmpty: false).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes <paramref name="payload"/> as Data frames of at most the frame size and waits
    /// until they are flushed. The caller has reserved send window for all of it. Cancellation
    /// is honoured only until the frames are taken for a flush, so a cancelled write sends nothing.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteDataAsync(uint streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = QueueOrLead(new FrameHeader(FrameType.Data, FrameFlags.None, streamId, 0), payload, cancellationToken);
        if (waiter is null || !await waiter.WaitAsync(this, cancellationToken).ConfigureAwait(false))
        {
            await LeadAsync(untilEmpty: false).ConfigureAwait(false);
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
        var error = _closedError();
        Task? leaderDone = null;
        List<Waiter> failed;
        lock (_gate)
        {
            _closing = true;
            failed = [.. _waiters];
            _waiters.Clear();
            _queued.Clear();
            _queuedControl = 0;
            if (_leading)
            {
                _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                leaderDone = _idle.Task;
            }
        }

        _controlWakeups.Writer.TryComplete();
        foreach (var waiter in failed)
        {
            waiter.TrySetException(error);
        }

        // A flush stuck on a peer that does not read would keep its leader forever;
        // cancelling it lets the leader go, which then sees the writer closing. The
        // _closing/_flushing pair is written before it is read on both sides.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _flushing) == 1)
        {
            _output.CancelPendingFlush();
        }

        if (leaderDone is not null)
        {
            try
            {
                await leaderDone.WaitAsync(CloseGrace).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        lock (_gate)
        {
            if (_completed || _leading)
            {
                return !_leading;
            }

            _completed = true;
            _leading = true; // for good: nothing is written after this
        }

        if (last is { } frame)
        {
            WriteHeader(frame);
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

    /// <summary>
    /// Queues a frame (a Data payload is split at the frame size). Returns null when the caller
    /// became the leader, else the waiter it must await.
    /// </summary>
    private Waiter? QueueOrLead(FrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var closed = false;
        Waiter? waiter = null;
        lock (_gate)
        {
            if (_closing || _completed)
            {
                closed = true;
            }
            else
            {
                if (_leading)
                {
                    waiter = new Waiter(cancellationToken.CanBeCanceled);
                    _waiters.Add(waiter);
                }
                else
                {
                    _leading = true;
                }

                if (header.Type != FrameType.Data)
                {
                    _queued.Add(new Entry(header, default, waiter));
                }
                else
                {
                    do
                    {
                        var length = Math.Min(payload.Length, _maxFrameSize);
                        _queued.Add(new Entry(header with { Length = (uint)length }, payload[..length], waiter));
                        payload = payload[length..];
                    }
                    while (!payload.IsEmpty);
                }
            }
        }

        return closed ? throw _closedError() : waiter;
    }

    /// <summary>
    /// Flushes what is queued, as the one leader: one round for a writer (then leadership
    /// passes to a waiting writer, or to the control loop), every round until nothing is left
    /// for the control loop. Waiters whose frames went out are released with the outcome.
    /// </summary>
    private async ValueTask LeadAsync(bool untilEmpty)
    {
        while (true)
        {
            List<Entry> batch;
            List<Waiter> covered;
            var closing = false;
            lock (_gate)
            {
                if (_closing)
                {
                    closing = true;
                    batch = null!;
                    covered = null!;
                    ReleaseLeadershipLocked();
                }
                else
                {
                    (batch, _queued, _draining) = (_queued, _draining, _queued);
                    (covered, _waiters, _covered) = (_waiters, _covered, _waiters);
                    _queuedControl = 0;
                    foreach (var waiter in covered)
                    {
                        waiter.Taken = true;
                    }
                }
            }

            if (closing)
            {
                throw _closedError();
            }

            Exception? failure = null;
            try
            {
                foreach (var entry in batch)
                {
                    WriteEntry(entry);
                }

                await FlushAsync().ConfigureAwait(false);
            }
            catch (MuxException e)
            {
                failure = e;
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                _onTransportFailure($"transport write failed: {e.Message}");
                failure = new MuxException($"transport write failed: {e.Message}", e);
            }

            var done = true;
            lock (_gate)
            {
                // Both lists go back empty before leadership can pass: the next leader swaps them in.
                batch.Clear(); // let go of the writers' buffers
                foreach (var waiter in covered)
                {
                    if (failure is null)
                    {
                        waiter.TrySetResult(true);
                    }
                    else
                    {
                        waiter.TrySetException(failure);
                    }
                }

                covered.Clear();
                if (failure is not null || _queued.Count == 0)
                {
                    ReleaseLeadershipLocked();
                }
                else if (untilEmpty)
                {
                    done = false;
                }
                else if (_waiters.Count > 0)
                {
                    // The first writer still waiting leads the next round (its continuation runs on the pool).
                    var next = _waiters[0];
                    _waiters.RemoveAt(0);
                    next.TrySetResult(false);
                }
                else
                {
                    // Only control frames (or withdrawn writes) are left: the control loop takes them.
                    ReleaseLeadershipLocked();
                    if (!_controlScheduled)
                    {
                        _controlScheduled = true;
                        _controlWakeups.Writer.TryWrite(true);
                    }
                }
            }

            if (failure is not null)
            {
                throw failure;
            }

            if (done)
            {
                return;
            }
        }
    }

    private void ReleaseLeadershipLocked()
    {
        _leading = false;
        _idle?.TrySetResult();
        _idle = null;
    }

    /// <summary>Drops a waiting write whose frames have not been taken for a flush yet: it sends nothing.</summary>
    private bool TryWithdraw(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Taken || !_waiters.Remove(waiter))
            {
                return false;
            }

            waiter.Withdrawn = true; // its queued entries are skipped
            return true;
        }
    }

    private void WriteEntry(in Entry entry)
    {
        if (entry.Owner is { Withdrawn: true })
        {
            return;
        }

        WriteHeader(entry.Header);
        if (!entry.Payload.IsEmpty)
        {
            _output.Write(entry.Payload.Span);
        }
    }

    private void WriteHeader(FrameHeader header)
    {
        var span = _output.GetSpan(FrameHeader.Size);
        header.Write(span);
        _output.Advance(FrameHeader.Size);
    }

    private async ValueTask FlushAsync()
    {
        Volatile.Write(ref _flushStarted, _time.GetTimestamp());
        Volatile.Write(ref _flushing, 1);
        Interlocked.MemoryBarrier();
        try
        {
            if (Volatile.Read(ref _closing))
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

    /// <summary>A queued frame; a Data payload stays in the writer's buffer, which it keeps until released.</summary>
    private readonly record struct Entry(FrameHeader Header, ReadOnlyMemory<byte> Payload, Waiter? Owner);

    /// <summary>
    /// A writer waiting for a leader: completes with true once its frames are flushed, false
    /// when it is to lead the next round itself, or faults with the flush's failure.
    /// </summary>
    [SuppressMessage("Design", "CA1001", Justification = "The registration is disposed by WaitAsync.")]
    private sealed class Waiter(bool cancellable) : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>Its frames were taken for a flush: from then on they go out, cancelled or not. Guarded by the writer's lock.</summary>
        public bool Taken { get; set; }

        /// <summary>Cancelled before its frames were taken: they are skipped. Guarded by the writer's lock.</summary>
        public bool Withdrawn { get; set; }

        public async ValueTask<bool> WaitAsync(FrameWriter writer, CancellationToken cancellationToken)
        {
            if (!cancellable)
            {
                return await Task.ConfigureAwait(false);
            }

            using (cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (waiter, owner) = ((Waiter, FrameWriter))state!;
                if (owner.TryWithdraw(waiter))
                {
                    waiter.TrySetCanceled(token);
                }
            }, (this, writer)))
            {
                return await Task.ConfigureAwait(false);
            }
        }
    }
}
