using System.Buffers;
using System.IO.Pipelines;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux;

// The receive loop: the only reader of the transport. It never waits on the transport's
// write side or on an application, so a slow reader or a blocked writer cannot stall it;
// everything it must send goes through the writer's control queue.
public sealed partial class MuxSession
{
    // A Data payload is handed to its stream as it arrives rather than after the whole frame
    // (hashicorp sends frames as large as the window), but not in slivers: below this many
    // bytes the loop waits for more of the frame first.
    private const int MinimumDelivery = 16 * 1024;

    // Receive-loop state for the Data frame whose payload is being read; touched only by the loop.
    private FrameHeader _payloadHeader;
    private MuxStream? _payloadTarget;
    private long _payloadRemaining;

    private async Task ReceiveLoopAsync()
    {
        string? reason = null;
        var stopping = _stopping.Token;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(stopping).ConfigureAwait(false);
                var buffer = result.Buffer;
                var keepGoing = ProcessFrames(ref buffer, result.IsCompleted);
                if (!keepGoing)
                {
                    _input.AdvanceTo(buffer.End);
                    break;
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    reason = buffer.IsEmpty && _payloadRemaining == 0
                        ? "the transport was closed by the peer"
                        : "the transport was closed in the middle of a frame";
                    break;
                }

                if (result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            reason = $"transport read failed: {e.Message}";
        }
        finally
        {
            Terminate(reason ?? "the receive loop stopped", null);
            await _input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Handles every whole frame in <paramref name="buffer"/>, slicing off what it consumed; false ends the session.</summary>
    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer, bool transportCompleted)
    {
        while (true)
        {
            if (_payloadRemaining > 0)
            {
                if (buffer.IsEmpty)
                {
                    return true;
                }

                var available = Math.Min(buffer.Length, _payloadRemaining);
                if (available < _payloadRemaining && available < MinimumDelivery && !transportCompleted)
                {
                    return true; // wait for more of this frame
                }

                _payloadTarget?.Deliver(buffer.Slice(0, available));
                buffer = buffer.Slice(available);
                _payloadRemaining -= available;
                if (_payloadRemaining > 0)
                {
                    return true;
                }

                // Flags that close a stream apply after its last bytes (spec.md, "Flags").
                var target = _payloadTarget;
                _payloadTarget = null;
                if (target is not null && !ApplyCloseFlags(target, _payloadHeader))
                {
                    return false;
                }

                continue;
            }

            if (!FrameHeader.TryParse(ref buffer, out var header))
            {
                return true;
            }

            var error = header.Check((uint)_options.ReceiveWindow);
            if (error != FrameError.None)
            {
                return ProtocolViolation($"invalid frame ({Describe(error)}): {header}");
            }

            var handled = header.Type switch
            {
                FrameType.Ping => HandlePing(header),
                FrameType.GoAway => HandleGoAway(header),
                _ => HandleStreamFrame(header),
            };
            if (!handled)
            {
                return false;
            }
        }
    }

    private bool HandleStreamFrame(FrameHeader header)
    {
        MuxStream? stream;
        if (header.Has(FrameFlags.Syn))
        {
            if (!TryOpenIncoming(header.StreamId, out stream))
            {
                return false;
            }
        }
        else
        {
            lock (_gate)
            {
                _streams.TryGetValue(header.StreamId, out stream);
            }
        }

        if (header.Type == FrameType.WindowUpdate)
        {
            if (stream is null)
            {
                return true; // the stream is gone; the peer may not know yet
            }

            if (!stream.OnWindowUpdate(header.Length))
            {
                return ProtocolViolation($"window update overflows the send window of stream {header.StreamId}");
            }

            return ApplyCloseFlags(stream, header);
        }

        if (stream is not null && header.Length > 0)
        {
            switch (stream.BeginData(header.Length))
            {
                case DataVerdict.Accept:
                    break;
                case DataVerdict.Discard:
                    stream = null;
                    break;
                case DataVerdict.AfterFin:
                    return ProtocolViolation($"data on stream {header.StreamId} after its FIN");
                default:
                    return ProtocolViolation($"data of {header.Length} bytes on stream {header.StreamId} exceeds the receive window we granted");
            }
        }

        if (header.Length == 0)
        {
            return stream is null || ApplyCloseFlags(stream, header);
        }

        if (stream is null)
        {
            LogDiscarded(_logger, Role, header.StreamId, header.Length);
        }

        _payloadHeader = header;
        _payloadTarget = stream;
        _payloadRemaining = header.Length;
        return true;
    }

    private bool ApplyCloseFlags(MuxStream stream, FrameHeader header)
    {
        if (header.Has(FrameFlags.Rst))
        {
            stream.OnRemoteReset();
            return true;
        }

        if (header.Has(FrameFlags.Fin) && !stream.OnRemoteFin())
        {
            return ProtocolViolation($"second FIN on stream {header.StreamId}");
        }

        return true;
    }

    /// <summary>
    /// Registers a stream the peer opens. Ids of our own parity and ids still live are
    /// protocol errors (spec.md, "Streams"); SYNs over our limits or after GoAway are refused
    /// with RST, leaving the session intact.
    /// </summary>
    private bool TryOpenIncoming(uint id, out MuxStream? stream)
    {
        stream = null;
        if ((id % 2 == 1) == IsClient)
        {
            return ProtocolViolation($"SYN for stream {id}, an id of our parity");
        }

        string? refusal;
        lock (_gate)
        {
            if (_streams.ContainsKey(id))
            {
                refusal = null;
            }
            else if (_ended)
            {
                return true;
            }
            else if (_localGoAway || _remoteGoAway is not null)
            {
                refusal = "the session is going away";
            }
            else if (_streams.Count >= _options.MaxConcurrentStreams)
            {
                refusal = $"the limit of {_options.MaxConcurrentStreams} concurrent streams is reached";
            }
            else if (_accepted.Reader.Count >= _options.AcceptBacklog)
            {
                refusal = $"the accept backlog of {_options.AcceptBacklog} is full";
            }
            else
            {
                stream = new MuxStream(this, id, initialReceiveCredit: MuxOptions.InitialWindow);
                _streams.Add(id, stream);
                _accepted.Writer.TryWrite(stream);
                return true;
            }
        }

        if (refusal is null)
        {
            return ProtocolViolation($"SYN for stream {id}, which is still open");
        }

        LogRefused(_logger, Role, id, refusal);
        Enqueue(new FrameHeader(FrameType.WindowUpdate, FrameFlags.Rst, id, 0));
        return true;
    }

    private bool HandlePing(FrameHeader header)
    {
        if (header.Has(FrameFlags.Syn))
        {
            Enqueue(new FrameHeader(FrameType.Ping, FrameFlags.Ack, 0, header.Length));
        }
        else if (header.Has(FrameFlags.Ack))
        {
            OnPong(header.Length);
        }

        return true;
    }

    private bool HandleGoAway(FrameHeader header)
    {
        var code = (MuxGoAwayCode)header.Length;
        lock (_gate)
        {
            _remoteGoAway = code;
        }

        _accepted.Writer.TryComplete();
        LogGoAwayReceived(_logger, Role, code);
        if (code == MuxGoAwayCode.Normal)
        {
            return true;
        }

        // Like hashicorp/yamux, an error GoAway ends the session: the peer is about to close
        // it, and its view of our streams can no longer be trusted.
        Terminate($"the peer sent GoAway({code})", null);
        return false;
    }

    private bool ProtocolViolation(string reason)
    {
        LogProtocolError(_logger, Role, reason);
        Terminate($"protocol error: {reason}", MuxGoAwayCode.ProtocolError);
        return false;
    }

    private static string Describe(FrameError error) => error switch
    {
        FrameError.UnsupportedVersion => "unsupported version",
        FrameError.UnknownType => "unknown type",
        FrameError.StreamFrameOnSessionId => "stream frame on stream id 0",
        FrameError.SessionFrameOnStreamId => "session frame on a stream id",
        FrameError.FrameTooLarge => "data frame larger than the receive window",
        _ => error.ToString(),
    };
}
