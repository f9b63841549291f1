using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Forwards;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Forwards;

public sealed partial class ForwardServer
{
    /// <summary>
    /// One forward stream: header, challenge, request, checks, dial, reply, then TCP bytes or
    /// UDP frames. Every refusal is a ForwardReply the client can show; nothing is dialled
    /// before the token proof (<see cref="ForwardProof"/>) and the source have passed.
    /// </summary>
    private async Task ServeStreamAsync(MuxStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            var counted = false;
            PipeReader? reader = null;
            try
            {
                var header = await StreamHeaders.ReadAsync(stream, ct).ConfigureAwait(false);
                if (header.Kind != StreamKind.Forward)
                {
                    LogUnexpectedStream(_logger, header.Kind.ToString());
                    stream.Abort();
                    return;
                }

                reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
                var challenge = ForwardProof.NewChallenge();
                await ForwardFraming.WriteAsync(stream, new ForwardReply
                {
                    Status = ForwardStatus.Challenge,
                    Message = "prove an auth token for this challenge",
                    Challenge = ByteString.CopyFrom(challenge),
                }, ct).ConfigureAwait(false);
                var request = await ReadRequestAsync(reader, ct).ConfigureAwait(false);
                if (request is null)
                {
                    stream.Abort();
                    return;
                }

                var client = $"{header.ForwardUser} ({header.ClientAddress})";
                if (request.TokenProof.IsEmpty)
                {
                    LogTokenRejected(_logger, client, "no proof");
                    await ReplyAsync(stream, ForwardStatus.TokenRejected, "the client sent no token proof: its tunnelctl is older than this server's, upgrade it", ct).ConfigureAwait(false);
                    return;
                }

                if (_options.Tokens.MatchProof(challenge, request.Source, request.Probe, request.TokenProof.Span) == 0)
                {
                    LogTokenRejected(_logger, client, "the proof matches none of this server's tokens");
                    await ReplyAsync(stream, ForwardStatus.TokenRejected, "the forward server rejected the auth token", ct).ConfigureAwait(false);
                    return;
                }

                if (!ForwardSource.TryParse(request.Source, out var source, out var problem))
                {
                    await ReplyAsync(stream, ForwardStatus.BadRequest, problem, ct).ConfigureAwait(false);
                    return;
                }

                // Checked for every stream, so a changed allowlist or DNS answer applies at once.
                var check = await _resolver.CheckAsync(source, ct).ConfigureAwait(false);
                if (check.Refusal is { } refusal)
                {
                    LogSourceRefused(_logger, client, refusal);
                    await ReplyAsync(stream, ForwardStatus.SourceNotAllowed, refusal, ct).ConfigureAwait(false);
                    return;
                }

                if (check.Failure is { } failure)
                {
                    await ReplyAsync(stream, ForwardStatus.SourceUnreachable, failure, ct).ConfigureAwait(false);
                    return;
                }

                if (request.Probe)
                {
                    await ReplyAsync(stream, ForwardStatus.Ok, $"{source} is allowed", ct, check.EndPoints[0].ToString()).ConfigureAwait(false);
                    return;
                }

                counted = true;
                if (Interlocked.Increment(ref _activeSessions) > _options.MaxSessions)
                {
                    await ReplyAsync(stream, ForwardStatus.LimitReached, $"the forward server is at its limit of {_options.MaxSessions} concurrent sessions; try again later", ct).ConfigureAwait(false);
                    return;
                }

                if (source.Protocol == ForwardProtocol.Tcp)
                {
                    await ForwardTcpAsync(stream, reader, source, check.EndPoints, client, ct).ConfigureAwait(false);
                }
                else
                {
                    await ForwardUdpAsync(stream, reader, source, check.EndPoints[0], client, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                LogStreamFailed(_logger, stream.Id, e.Message);
                stream.Abort();
            }
            finally
            {
                if (counted)
                {
                    Interlocked.Decrement(ref _activeSessions);
                }

                if (reader is not null)
                {
                    await reader.CompleteAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<ForwardRequest?> ReadRequestAsync(PipeReader reader, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var frame = await ForwardFraming.ReadAsync(reader, ForwardRequest.Parser, linked.Token).ConfigureAwait(false);
            if (frame.Status == ForwardFrameStatus.Message)
            {
                return frame.Message;
            }

            LogBadRequest(_logger, frame.Status.ToString());
            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            LogBadRequest(_logger, "no ForwardRequest in time");
            return null;
        }
    }

    private async Task ForwardTcpAsync(MuxStream stream, PipeReader reader, ForwardSource source, IReadOnlyList<IPEndPoint> endPoints, string client, CancellationToken ct)
    {
        var (socket, error) = await DialTcpAsync(endPoints, ct).ConfigureAwait(false);
        if (socket is null)
        {
            LogSourceUnreachable(_logger, source.ToString(), error);
            await ReplyAsync(stream, ForwardStatus.SourceUnreachable, $"the server could not connect to {source}: {error}", ct).ConfigureAwait(false);
            return;
        }

        await using var target = new NetworkStream(socket, ownsSocket: true);
        var remote = socket.RemoteEndPoint?.ToString() ?? string.Empty;
        await ReplyAsync(stream, ForwardStatus.Ok, string.Empty, ct, remote, complete: false).ConfigureAwait(false);
        LogForwarding(_logger, client, source.ToString(), remote);

        // Bytes the client sent right behind its request are already in the reader's buffer.
        await ForwardFraming.FlushBufferedAsync(reader, target, ct).ConfigureAwait(false);
        await reader.CompleteAsync().ConfigureAwait(false);
        await StreamSplice.RunAsync(stream, target, ct).ConfigureAwait(false);
    }

    // Tries the checked addresses in order within one dial timeout; the name is never resolved again.
    private async Task<(Socket? Socket, string Error)> DialTcpAsync(IReadOnlyList<IPEndPoint> endPoints, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.DialTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var error = "no address to dial";
        foreach (var endPoint in endPoints)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
                return (socket, string.Empty);
            }
            catch (SocketException e)
            {
                error = $"{endPoint}: {SessionLoops.Describe(e)}";
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                socket.Dispose();
                return (null, $"{endPoint}: timed out after {_options.DialTimeout.TotalSeconds:0} s");
            }

            socket.Dispose();
        }

        return (null, error);
    }

    private async Task ForwardUdpAsync(MuxStream stream, PipeReader reader, ForwardSource source, IPEndPoint endPoint, string client, CancellationToken ct)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Connected, so only the source's own answers come back on this flow.
        await socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
        await ReplyAsync(stream, ForwardStatus.Ok, string.Empty, ct, endPoint.ToString(), complete: false).ConfigureAwait(false);
        LogForwarding(_logger, client, source.ToString(), endPoint.ToString());
        var flow = new UdpTargetFlow(stream, reader, socket, _options.UdpIdleTimeout, _time);
        if (await flow.RunAsync(ct).ConfigureAwait(false))
        {
            LogUdpIdle(_logger, source.ToString(), client);
        }
    }

    private static async Task ReplyAsync(MuxStream stream, ForwardStatus status, string message, CancellationToken ct, string remote = "", bool complete = true)
    {
        await ForwardFraming.WriteAsync(stream, new ForwardReply { Status = status, Message = message, RemoteAddress = remote }, ct).ConfigureAwait(false);
        if (complete)
        {
            await stream.CompleteWritesAsync(ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "forward from {Client} refused: the auth token is not one of this server's ({Reason})")]
    private static partial void LogTokenRejected(ILogger logger, string client, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "forward from {Client} refused: {Refusal}")]
    private static partial void LogSourceRefused(ILogger logger, string client, string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "source {Source} unreachable: {Reason}")]
    private static partial void LogSourceUnreachable(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "forwarding {Client} to {Source} ({Remote})")]
    private static partial void LogForwarding(ILogger logger, string client, string source, string remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP flow to {Source} for {Client} closed after being idle")]
    private static partial void LogUdpIdle(ILogger logger, string source, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the edge opened a {Kind} stream; a forward server serves forward streams only")]
    private static partial void LogUnexpectedStream(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "forward stream without a valid request: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "forward stream {StreamId} ended with an error: {Reason}")]
    private static partial void LogStreamFailed(ILogger logger, uint streamId, string reason);
}
