using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux;

// Keepalive, the write watchdog, and the one way a session ends.
public sealed partial class MuxSession
{
    // Real time: a safety net for a transport that ignores cancellation, independent of the injected clock.
    private static readonly TimeSpan LoopExitGrace = TimeSpan.FromSeconds(5);

    private readonly Lock _pingGate = new();
    private ITimer? _pingTimer;
    private ITimer? _pongTimer;
    private ITimer? _writeWatchdog;
    private uint _pingCounter;
    private uint? _outstandingPing;
    private long _pingSentAt;
    private TimeSpan? _lastRoundTrip;

    /// <summary>The round-trip time of the last answered keepalive ping, if any.</summary>
    public TimeSpan? LastPingRoundTrip
    {
        get
        {
            lock (_pingGate)
            {
                return _lastRoundTrip;
            }
        }
    }

    /// <summary>The value of the ping awaiting its answer; for tests.</summary>
    internal uint? OutstandingPing
    {
        get
        {
            lock (_pingGate)
            {
                return _outstandingPing;
            }
        }
    }

    private void StartTimers()
    {
        if (_options.KeepAliveEnabled)
        {
            // Created idle, then armed, so a callback never sees a half-built session.
            _pongTimer = _time.CreateTimer(static s => ((MuxSession)s!).OnPingTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _pingTimer = _time.CreateTimer(static s => ((MuxSession)s!).SendPing(), this, _options.KeepAliveInterval, _options.KeepAliveInterval);
        }

        if (MuxOptions.IsFinitePositive(_options.WriteTimeout))
        {
            var period = TimeSpan.FromTicks(Math.Max(_options.WriteTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond));
            _writeWatchdog = _time.CreateTimer(static s => ((MuxSession)s!).CheckWrites(), this, period, period);
        }
    }

    /// <summary>
    /// Sends Ping(SYN) with a fresh opaque value (spec.md, "Ping Type") unless one is still
    /// unanswered; arms the timeout that declares the peer dead.
    /// </summary>
    private void SendPing()
    {
        uint id;
        lock (_pingGate)
        {
            if (IsClosed || _outstandingPing is not null)
            {
                return;
            }

            id = ++_pingCounter;
            _outstandingPing = id;
            _pingSentAt = _time.GetTimestamp();
            if (MuxOptions.IsFinitePositive(_options.KeepAliveTimeout))
            {
                _pongTimer?.Change(_options.KeepAliveTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        Enqueue(new FrameHeader(FrameType.Ping, FrameFlags.Syn, 0, id));
    }

    private void OnPong(uint value)
    {
        lock (_pingGate)
        {
            if (_outstandingPing != value)
            {
                return; // an answer to a ping we no longer wait for, or never sent
            }

            _outstandingPing = null;
            _lastRoundTrip = _time.GetElapsedTime(_pingSentAt);
            _pongTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnPingTimeout()
    {
        uint id;
        lock (_pingGate)
        {
            if (_outstandingPing is not { } outstanding)
            {
                return;
            }

            id = outstanding;
        }

        LogKeepAliveTimeout(_logger, Role, id, _options.KeepAliveTimeout);
        Terminate($"keepalive timeout: ping {id} was not answered within {_options.KeepAliveTimeout}", null);
    }

    private void CheckWrites()
    {
        if (_writer.IsFlushStuck(_options.WriteTimeout))
        {
            LogWriteTimeout(_logger, Role, _options.WriteTimeout);
            Terminate($"write timeout: the transport accepted no write for {_options.WriteTimeout}", null);
        }
    }

    /// <summary>
    /// Ends the session, once: records why, fails every stream, refuses new work, and starts
    /// letting go of the transport (after a GoAway when <paramref name="goAway"/> is given).
    /// Never blocks, so the receive loop, timers and writers may all call it.
    /// </summary>
    internal void Terminate(string reason, MuxGoAwayCode? goAway)
    {
        MuxStream[] streams;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _endReason = reason;
            streams = [.. _streams.Values];
            _streams.Clear();
        }

        LogEnded(_logger, Role, reason, streams.Length);
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out _))
        {
            // Never accepted; failed with the others below.
        }

        foreach (var stream in streams)
        {
            stream.OnSessionEnded(reason);
        }

        _ = ShutdownAsync(goAway);
    }

    private async Task ShutdownAsync(MuxGoAwayCode? goAway)
    {
        try
        {
            _pingTimer?.Dispose();
            _pongTimer?.Dispose();
            _writeWatchdog?.Dispose();
            await _stopping.CancelAsync().ConfigureAwait(false);
            var last = goAway is { } code ? new FrameHeader(FrameType.GoAway, FrameFlags.None, 0, (uint)code) : (FrameHeader?)null;
            await _writer.CloseAsync(last).ConfigureAwait(false);
            if (_ownedTransport is not null)
            {
                // Disposing the stream also ends a pending read that ignored cancellation.
                await DisposeQuietlyAsync(_ownedTransport).ConfigureAwait(false);
            }

            await WaitQuietlyAsync(_receiveLoop).ConfigureAwait(false);
            await WaitQuietlyAsync(_controlLoop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            LogShutdownFailed(_logger, Role, e.Message);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private static async Task DisposeQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync().AsTask().WaitAsync(LoopExitGrace).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException or NotSupportedException or System.Net.Sockets.SocketException)
        {
            // The transport is broken already; nothing more to release.
        }
    }

    private static async Task WaitQuietlyAsync(Task loop)
    {
        try
        {
            await loop.WaitAsync(LoopExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A transport that ignores cancellation and disposal; the loop ends when it does.
        }
    }
}
