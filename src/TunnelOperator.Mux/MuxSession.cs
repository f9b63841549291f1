using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Transport;

namespace TunnelOperator.Mux;

/// <summary>
/// One yamux session (hashicorp/yamux spec.md) over a byte transport: many independent,
/// flow-controlled streams over one TLS connection. The client opens odd stream ids, the
/// server even ones. The session reads frames on its own loop from the moment it is
/// created, answers pings, sends keepalives, and ends when the transport closes, the peer
/// breaks the protocol, a keepalive goes unanswered, or it is disposed. Disposing it resets
/// every stream it still holds.
/// </summary>
public sealed partial class MuxSession : IAsyncDisposable
{
    private readonly MuxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PipeReader _input;
    private readonly Stream? _ownedTransport;
    private readonly FrameWriter _writer;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, MuxStream> _streams = [];
    private readonly Channel<MuxStream> _accepted = Channel.CreateUnbounded<MuxStream>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiveLoop;
    private readonly Task _controlLoop;
    private long _nextStreamId;
    private bool _ended;
    private string? _endReason;
    private bool _localGoAway;
    private MuxGoAwayCode? _remoteGoAway;

    private MuxSession(PipeReader input, PipeWriter output, Stream? ownedTransport, bool isClient, MuxOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _time = time;
        _logger = logger;
        _input = input;
        _ownedTransport = ownedTransport;
        IsClient = isClient;
        _nextStreamId = isClient ? 1 : 2;
        _writer = new FrameWriter(output, options.MaxFrameSize, time, ClosedError, reason => Terminate(reason, null));
        LogStarted(_logger, Role);
        _controlLoop = Task.Run(() => _writer.RunControlLoopAsync(_stopping.Token));
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        StartTimers();
    }

    /// <summary>Starts the client side (odd stream ids) over a stream such as an SslStream; the session owns and disposes it.</summary>
    public static MuxSession CreateClient(Stream transport, MuxOptions options, TimeProvider time, ILogger logger) =>
        FromStream(transport, isClient: true, options, time, logger);

    /// <summary>Starts the server side (even stream ids) over a stream; the session owns and disposes it.</summary>
    public static MuxSession CreateServer(Stream transport, MuxOptions options, TimeProvider time, ILogger logger) =>
        FromStream(transport, isClient: false, options, time, logger);

    /// <summary>Starts the client side over a duplex pipe; the session completes both halves when it ends.</summary>
    public static MuxSession CreateClient(IDuplexPipe transport, MuxOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new MuxSession(transport.Input, transport.Output, null, isClient: true, options, time, logger);
    }

    /// <summary>Starts the server side over a duplex pipe, such as Kestrel's <c>ConnectionContext.Transport</c>.</summary>
    public static MuxSession CreateServer(IDuplexPipe transport, MuxOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new MuxSession(transport.Input, transport.Output, null, isClient: false, options, time, logger);
    }

    private static MuxSession FromStream(Stream transport, bool isClient, MuxOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var input = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        var output = PipeWriter.Create(transport, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        return new MuxSession(input, output, transport, isClient, options, time, logger);
    }

    public bool IsClient { get; }

    /// <summary>Completes, never faults, once the session has ended and let go of its transport.</summary>
    public Task Completion => _completion.Task;

    public bool IsClosed => Volatile.Read(ref _ended);

    /// <summary>Why the session ended, for diagnostics; null while it runs.</summary>
    public string? EndReason
    {
        get
        {
            lock (_gate)
            {
                return _endReason;
            }
        }
    }

    /// <summary>The code of the GoAway the peer sent, if it sent one.</summary>
    public MuxGoAwayCode? RemoteGoAway
    {
        get
        {
            lock (_gate)
            {
                return _remoteGoAway;
            }
        }
    }

    /// <summary>True once either side sent GoAway: no new streams either way.</summary>
    public bool IsGoingAway
    {
        get
        {
            lock (_gate)
            {
                return _localGoAway || _remoteGoAway is not null;
            }
        }
    }

    /// <summary>Streams open in either direction, including those not yet accepted.</summary>
    public int StreamCount
    {
        get
        {
            lock (_gate)
            {
                return _streams.Count;
            }
        }
    }

    internal MuxOptions Options => _options;

    internal TimeProvider Time => _time;

    internal FrameWriter Writer => _writer;

    private string Role => IsClient ? "client" : "server";

    /// <summary>
    /// Opens a stream: sends its SYN (a window update announcing our receive window) and
    /// returns at once, without waiting for the peer's ACK, as hashicorp/yamux does. A peer
    /// that refuses the stream answers RST, which the stream's first read or write reports.
    /// </summary>
    public async ValueTask<MuxStream> OpenStreamAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        MuxStream stream;
        lock (_gate)
        {
            if (_ended)
            {
                throw new MuxException($"the mux session has ended: {_endReason}");
            }

            if (_remoteGoAway is not null)
            {
                throw new MuxException("the peer is going away");
            }

            if (_localGoAway)
            {
                throw new MuxException("the session is going away");
            }

            if (_streams.Count >= _options.MaxConcurrentStreams)
            {
                throw new MuxException($"the limit of {_options.MaxConcurrentStreams} concurrent streams is reached");
            }

            if (_nextStreamId > uint.MaxValue)
            {
                throw new MuxException("the session has used up its stream ids");
            }

            var id = (uint)_nextStreamId;
            _nextStreamId += 2;
            stream = new MuxStream(this, id, initialReceiveCredit: _options.ReceiveWindow);
            _streams.Add(id, stream);
        }

        try
        {
            await _writer.WriteFrameAsync(new FrameHeader(FrameType.WindowUpdate, FrameFlags.Syn, stream.Id, WindowDelta), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            stream.Fail("the stream could not be opened");
            Release(stream);
            throw;
        }

        return stream;
    }

    /// <summary>
    /// Returns the next stream the peer opened, after sending its ACK with our window.
    /// Returns null once no stream can come anymore: the session ended, or either side sent GoAway.
    /// </summary>
    public async ValueTask<MuxStream?> AcceptStreamAsync(CancellationToken cancellationToken)
    {
        while (!IsClosed)
        {
            if (_accepted.Reader.TryRead(out var stream))
            {
                if (!stream.GrantFullWindow())
                {
                    // Reset before anyone took it: nothing to acknowledge, but what it carried
                    // is still there to read, then the reset.
                    return stream;
                }

                try
                {
                    // Uncancellable: once the stream is taken from the queue it must be acknowledged or lost.
                    await _writer.WriteFrameAsync(new FrameHeader(FrameType.WindowUpdate, FrameFlags.Ack, stream.Id, WindowDelta), CancellationToken.None).ConfigureAwait(false);
                }
                catch (MuxException)
                {
                    return null;
                }

                return stream;
            }

            if (!await _accepted.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Tells the peer we accept no more streams and stops opening our own (spec.md, "Go Away
    /// Type"). Existing streams carry on. Idempotent; does nothing once the session has ended.
    /// </summary>
    public async Task GoAwayAsync(MuxGoAwayCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ended || _localGoAway)
            {
                return;
            }

            _localGoAway = true;
        }

        _accepted.Writer.TryComplete();
        LogGoAwaySent(_logger, Role, code);
        try
        {
            await _writer.WriteFrameAsync(new FrameHeader(FrameType.GoAway, FrameFlags.None, 0, (uint)code), cancellationToken).ConfigureAwait(false);
        }
        catch (MuxException)
        {
            // The session ended meanwhile; there is nobody left to tell.
        }
    }

    /// <summary>Ends the session: resets its streams, stops its loops, lets go of the transport. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        Terminate("disposed", null);
        await _completion.Task.ConfigureAwait(false);
    }

    private uint WindowDelta => (uint)(_options.ReceiveWindow - MuxOptions.InitialWindow);

    /// <summary>Forgets a stream that is fully closed or reset; frames for it are discarded from now on.</summary>
    internal void Release(MuxStream stream)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(stream.Id, out var held) && ReferenceEquals(held, stream))
            {
                _streams.Remove(stream.Id);
            }
        }
    }

    /// <summary>Queues a payload-less frame (window update, RST, FIN, ping answer) without waiting.</summary>
    internal void Enqueue(FrameHeader header)
    {
        if (_writer.Enqueue(header) == EnqueueResult.Overflow)
        {
            Terminate($"more than {FrameWriter.MaxQueuedControlFrames} control frames are waiting for the transport: the peer is not reading", MuxGoAwayCode.InternalError);
        }
    }

    private MuxException ClosedError()
    {
        lock (_gate)
        {
            return new MuxException(_ended ? $"the mux session has ended: {_endReason}" : "the mux session is closing");
        }
    }
}
