using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Forwards;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Forwards;

/// <summary>Where a forward client stands after (re)connecting to its edge.</summary>
public sealed record ForwardClientStatus(ForwardServerState ServerState, DateTimeOffset? LastSeen, ForwardReply Probe);

/// <summary>
/// <c>tunnelctl port-forward client</c>: listens on the local target and forwards each TCP
/// connection, or each UDP peer's datagrams, over its own forward stream through the edge to
/// a forward server:
/// <list type="number">
/// <item>bind the local port first, so a busy port fails before anything goes on the network;</item>
/// <item>connect and authenticate to the edge like any agent, attach as a forward client;</item>
/// <item>probe: one forward stream with <c>probe</c> set, so a wrong server ID, token or source
///   is reported at start rather than at the first connection;</item>
/// <item>per local connection or UDP peer: ForwardOpen, the server's challenge, a
///   ForwardRequest that proves the token without sending it, the ForwardReply, then splice
///   bytes or frame datagrams;</item>
/// <item>the local port stays open while the edge session reconnects with backoff.</item>
/// </list>
/// </summary>
public sealed partial class ForwardClient : IAsyncDisposable
{
    private readonly ForwardClientOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Socket _listener;
    private readonly byte[] _tokenKey;
    private readonly Lock _gate = new();
    private EdgeSession? _session;
    private TaskCompletionSource<EdgeSession> _sessionReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _edgeProblem = "not connected to the edge yet";

    private ForwardClient(ForwardClientOptions options, Socket listener, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        _tokenKey = ForwardProof.KeyOf(options.AuthToken);
        _listener = listener;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ForwardClient>();
        _time = time;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Raised after each (re)connection with the server's state and the probe's answer.</summary>
    public event Action<ForwardClientStatus>? Connected;

    /// <summary>Raised with each failed or lost edge session and the delay before the next attempt.</summary>
    public event Action<AgentOutcome, TimeSpan>? Retrying;

    /// <summary>
    /// Binds the local target. A port in use, an address this machine does not have, or a
    /// privileged port is an error value with what to do, not an exception.
    /// </summary>
    public static (ForwardClient? Client, string? Error) Bind(ForwardClientOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        var tcp = options.Source.Protocol == ForwardProtocol.Tcp;
        var socket = tcp
            ? new Socket(options.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(options.Target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(options.Target);
            if (tcp)
            {
                socket.Listen(512);
            }

            return (new ForwardClient(options, socket, loggerFactory, timeProvider ?? TimeProvider.System), null);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var what = $"{(tcp ? "tcp" : "udp")} {options.Target}";
            return (null, e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse =>
                    $"cannot listen on {what}: the port is already in use. Choose another --target port, or stop what holds it (see 'ss -lntup' for the owner).",
                SocketError.AddressNotAvailable =>
                    $"cannot listen on {what}: this machine has no such address. Use --target 127.0.0.1:PORT.",
                SocketError.AccessDenied =>
                    $"cannot listen on {what}: permission denied (ports below 1024 need privileges). Choose a --target port above 1023.",
                _ => $"cannot listen on {what}: {e.Message}",
            });
        }
    }

    /// <returns>The fatal outcome that stopped the client, or a Stopped outcome on cancellation.</returns>
    public async Task<AgentOutcome> RunAsync(Backoff? backoff, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var local = _options.Source.Protocol == ForwardProtocol.Tcp ? AcceptTcpAsync(stop.Token) : ServeUdpAsync(stop.Token);
        try
        {
            return await ReconnectLoop.RunAsync(RunOnceAsync, backoff ?? Backoff.Default(), _time, (outcome, delay) =>
            {
                lock (_gate)
                {
                    _edgeProblem = outcome.Message;
                }

                Retrying?.Invoke(outcome, delay);
            }, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await local.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task<AgentOutcome> RunOnceAsync(CancellationToken ct)
    {
        var connect = await EdgeSession.ConnectAsync(_options.Edge, _loggerFactory, _time, ct).ConfigureAwait(false);
        if (connect.Session is not { } session)
        {
            return connect.Failure!;
        }

        await using (session.ConfigureAwait(false))
        {
            var (answer, failure) = await session.ExchangeAsync(
                new ClientMessage { AttachForwardClient = new AttachForwardClient { RequestId = 1, ServerId = _options.ServerId } },
                ServerMessage.KindOneofCase.ForwardClientAttached, "attaching", "the client attached", ct).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var run = session.RunAsync(sessionEnd.Token);
            Publish(session);
            try
            {
                var attached = answer!.ForwardClientAttached;
                var probe = await ProbeAsync(sessionEnd.Token).ConfigureAwait(false);
                var lastSeen = attached.LastSeenUnixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(attached.LastSeenUnixMs) : (DateTimeOffset?)null;
                Connected?.Invoke(new ForwardClientStatus(attached.ServerState, lastSeen, probe));
                if (ForwardReplies.IsPermanent(probe.Status))
                {
                    await sessionEnd.CancelAsync().ConfigureAwait(false);
                    await run.ConfigureAwait(false);
                    return new AgentOutcome(AgentOutcomeKind.Refused, ForwardReplies.Explain(probe, _options.ServerId),
                        probe.Status == ForwardStatus.BadRequest ? ErrorCode.InvalidArgument : ErrorCode.PermissionDenied);
                }

                return await run.ConfigureAwait(false);
            }
            finally
            {
                Unpublish(session);
                await sessionEnd.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<ForwardReply> ProbeAsync(CancellationToken ct)
    {
        var opened = await OpenForwardAsync(probe: true, ct).ConfigureAwait(false);
        await opened.DisposeAsync().ConfigureAwait(false);
        return opened.Reply;
    }

    /// <summary>
    /// Opens a forward stream to the server: ForwardOpen; the server's challenge; a
    /// ForwardRequest proving the token (<see cref="ForwardProof"/>); then the final reply.
    /// The edge may answer ForwardOpen itself (unknown or offline server): that reply is final.
    /// Failures come back as a reply too.
    /// </summary>
    private async Task<ForwardOpened> OpenForwardAsync(bool probe, CancellationToken ct)
    {
        var session = await WaitForSessionAsync(ct).ConfigureAwait(false);
        if (session is null)
        {
            string problem;
            lock (_gate)
            {
                problem = _edgeProblem;
            }

            return ForwardOpened.Failed($"not connected to the edge ({problem}); still retrying");
        }

        MuxStream stream;
        try
        {
            stream = await session.Mux.OpenStreamAsync(ct).ConfigureAwait(false);
        }
        catch (MuxException e)
        {
            return ForwardOpened.Failed($"the edge session cannot take a new stream: {e.Message}");
        }

        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        using var timeout = new CancellationTokenSource(_options.OpenTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await ForwardFraming.WriteAsync(stream, new ForwardOpen { ServerId = _options.ServerId }, linked.Token).ConfigureAwait(false);
            var frame = await ForwardFraming.ReadAsync(reader, ForwardReply.Parser, linked.Token).ConfigureAwait(false);
            if (frame.Message is { Status: ForwardStatus.Challenge } challenge)
            {
                // The server speaks first; the edge's own answers (unknown or offline server)
                // are final replies instead.
                if (challenge.Challenge.Length != ForwardProof.ChallengeLength)
                {
                    await ForwardOpened.DisposeAsync(stream, reader).ConfigureAwait(false);
                    return ForwardOpened.Failed($"the forward server sent a challenge of {challenge.Challenge.Length} bytes instead of {ForwardProof.ChallengeLength}; client and server versions may differ");
                }

                var source = _options.Source.ToString();
                await ForwardFraming.WriteAsync(stream, new ForwardRequest
                {
                    Source = source,
                    Probe = probe,
                    TokenProof = ByteString.CopyFrom(ForwardProof.Compute(_tokenKey, challenge.Challenge.Span, source, probe)),
                }, linked.Token).ConfigureAwait(false);
                frame = await ForwardFraming.ReadAsync(reader, ForwardReply.Parser, linked.Token).ConfigureAwait(false);
            }

            if (frame.Message is { } reply && reply.Status != ForwardStatus.Challenge)
            {
                return new ForwardOpened(stream, reader, reply);
            }

            await ForwardOpened.DisposeAsync(stream, reader).ConfigureAwait(false);
            return ForwardOpened.Failed("the forward stream closed without an answer (the server or the edge went away)");
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            await ForwardOpened.DisposeAsync(stream, reader).ConfigureAwait(false);
            if (ct.IsCancellationRequested)
            {
                throw;
            }

            return ForwardOpened.Failed(timeout.IsCancellationRequested
                ? $"no answer from the edge or the server within {_options.OpenTimeout.TotalSeconds:0} s"
                : $"the forward stream failed: {e.Message}");
        }
    }

    private void Publish(EdgeSession session)
    {
        lock (_gate)
        {
            _session = session;
            _sessionReady.TrySetResult(session);
        }
    }

    private void Unpublish(EdgeSession session)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_session, session))
            {
                _session = null;
                _sessionReady = new TaskCompletionSource<EdgeSession>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    // A local connection that arrives while the edge session reconnects waits a little for it.
    private async Task<EdgeSession?> WaitForSessionAsync(CancellationToken ct)
    {
        Task<EdgeSession> ready;
        lock (_gate)
        {
            if (_session is not null)
            {
                return _session;
            }

            ready = _sessionReady.Task;
        }

        try
        {
            return await ready.WaitAsync(_options.ReconnectWait, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>An answered forward stream (stream and reader set only when the reply came over it).</summary>
    private sealed record ForwardOpened(MuxStream? Stream, PipeReader? Reader, ForwardReply Reply)
    {
        public static ForwardOpened Failed(string message) =>
            new(null, null, new ForwardReply { Status = ForwardStatus.Unspecified, Message = message });

        public ValueTask DisposeAsync() => Stream is null ? ValueTask.CompletedTask : DisposeAsync(Stream, Reader);

        public static async ValueTask DisposeAsync(MuxStream stream, PipeReader? reader)
        {
            if (reader is not null)
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
