using System.Buffers;
using System.IO.Pipelines;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux;

// What the session tells a stream: frames from the receive loop, and the end of the session.
// Each method takes the stream's lock only briefly and never calls back into the session
// while holding it (the session's lock is always taken first).
public sealed partial class MuxStream
{
    /// <summary>Adds the peer's window update delta to our send window; false if it overflows 32 bits.</summary>
    internal bool OnWindowUpdate(uint delta)
    {
        if (delta == 0)
        {
            return true;
        }

        lock (_gate)
        {
            _sendWindow += delta;
            WakeWriterLocked();
            return _sendWindow <= uint.MaxValue;
        }
    }

    /// <summary>Charges an incoming Data frame against the window we granted (spec.md, "Flow Control").</summary>
    internal DataVerdict BeginData(uint length)
    {
        lock (_gate)
        {
            if (_finReceived)
            {
                return DataVerdict.AfterFin;
            }

            if (_inboundClosed)
            {
                return DataVerdict.Discard;
            }

            if (length > _receiveCredit)
            {
                return DataVerdict.WindowExceeded;
            }

            _receiveCredit -= length;
            return DataVerdict.Accept;
        }
    }

    /// <summary>Buffers payload bytes for the reader; dropped if the stream was reset meanwhile.</summary>
    internal void Deliver(ReadOnlySequence<byte> payload)
    {
        lock (_gate)
        {
            if (_inboundClosed)
            {
                return;
            }

            // Copied block by block: asking the pipe for more than a block at once would take
            // it off the block pool.
            var writer = _inbound.Writer;
            foreach (var segment in payload)
            {
                var source = segment.Span;
                while (!source.IsEmpty)
                {
                    var target = writer.GetSpan();
                    var count = Math.Min(target.Length, source.Length);
                    source[..count].CopyTo(target);
                    writer.Advance(count);
                    source = source[count..];
                }
            }

            // The pipe never pauses (the window bounds it), so this completes at once and
            // only wakes the reader, on the thread pool.
            EnsureCompleted(writer.FlushAsync(CancellationToken.None));
        }
    }

    /// <summary>The peer half-closed; false if it had already (a protocol error).</summary>
    internal bool OnRemoteFin()
    {
        bool release;
        lock (_gate)
        {
            if (_finReceived)
            {
                return false;
            }

            _finReceived = true;
            if (!_inboundClosed)
            {
                _inboundClosed = true;
                _inbound.Writer.Complete();
            }

            release = _finSent;
        }

        if (release)
        {
            _closeTimer?.Dispose();
            _session.Release(this);
        }

        return true;
    }

    internal void OnRemoteReset() => Reset($"stream {Id} was reset by the peer", sendRst: false, dropUnread: false);

    /// <summary>The session ended: reads fail unless the peer had finished, writes fail.</summary>
    internal void OnSessionEnded(string reason)
    {
        lock (_gate)
        {
            _failure ??= $"the mux session has ended: {reason}";
            CloseInboundLocked(_failure, dropUnread: false);
            WakeWriterLocked();
        }

        _closeTimer?.Dispose();
    }

    /// <summary>Marks a stream that never got going (its SYN could not be sent) as failed.</summary>
    internal void Fail(string reason)
    {
        lock (_gate)
        {
            _failure ??= reason;
            CloseInboundLocked(reason, dropUnread: true);
            WakeWriterLocked();
        }
    }

    /// <summary>
    /// Raises our credit from the spec's initial window to the configured one as the ACK
    /// announces it; false if the stream died before it was accepted.
    /// </summary>
    internal bool GrantFullWindow()
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return false;
            }

            _receiveCredit += _session.Options.ReceiveWindow - MuxOptions.InitialWindow;
            return true;
        }
    }

    /// <summary>
    /// Credits consumed bytes back to the peer once half the window has been read since the
    /// last update, as hashicorp/yamux does: updates follow consumption, not arrival, so a
    /// reader that stops reading stops the writer after one window.
    /// </summary>
    private void OnConsumed(int count)
    {
        uint delta;
        lock (_gate)
        {
            if (_finReceived || _failure is not null)
            {
                return; // the peer sends nothing more
            }

            _unacknowledged += count;
            if (_unacknowledged < _updateThreshold)
            {
                return;
            }

            delta = (uint)_unacknowledged;
            _unacknowledged = 0;
            _receiveCredit += delta;
        }

        _session.Enqueue(new FrameHeader(FrameType.WindowUpdate, FrameFlags.None, Id, delta));
    }

    private void AfterFinSent()
    {
        bool release;
        lock (_gate)
        {
            release = _finReceived || _failure is not null;
            if (!release && MuxOptions.IsFinitePositive(_session.Options.StreamCloseTimeout))
            {
                _closeTimer = _session.Time.CreateTimer(static s => ((MuxStream)s!).OnCloseTimeout(), this, _session.Options.StreamCloseTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        if (release)
        {
            _session.Release(this);
        }
    }

    private void OnCloseTimeout()
    {
        lock (_gate)
        {
            if (_finReceived || _failure is not null)
            {
                return;
            }
        }

        Reset($"the peer did not close stream {Id} within {_session.Options.StreamCloseTimeout}", sendRst: true, dropUnread: true);
    }

    private void Reset(string reason, bool sendRst, bool dropUnread)
    {
        bool send;
        lock (_gate)
        {
            // Nothing to reset once both sides have closed or the stream already failed.
            send = sendRst && _failure is null && !(_finSent && _finReceived);
            _failure ??= reason;
            CloseInboundLocked(_failure, dropUnread);
            WakeWriterLocked();
        }

        if (send)
        {
            _session.Enqueue(new FrameHeader(FrameType.WindowUpdate, FrameFlags.Rst, Id, 0));
        }

        _closeTimer?.Dispose();
        _session.Release(this);
    }

    /// <summary>
    /// Ends the inbound data. When we give up on the stream ourselves, unread data is dropped
    /// and reads fail at once. When the peer or the transport ends it, what already arrived
    /// stays readable and the read after it reports the failure (see <c>EndOfData</c>), so a
    /// last message written just before a reset or a close is not lost.
    /// </summary>
    private void CloseInboundLocked(string reason, bool dropUnread)
    {
        if (_inboundClosed)
        {
            return;
        }

        _inboundClosed = true;
        if (dropUnread)
        {
            _inbound.Writer.Complete(new MuxException(reason));
        }
        else
        {
            _inbound.Writer.Complete();
        }
    }

    private static void EnsureCompleted(ValueTask<FlushResult> flush)
    {
        if (!flush.IsCompleted)
        {
            flush.AsTask().GetAwaiter().GetResult();
            return;
        }

        flush.GetAwaiter().GetResult();
    }
}
