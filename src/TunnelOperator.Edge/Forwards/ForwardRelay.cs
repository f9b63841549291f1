using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Forwards;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Forwards;

/// <summary>
/// Relays one forward stream a client opened to the server it names:
/// <list type="number">
/// <item>read the ForwardOpen at the head of the stream (within the open timeout), leaving any
///   bytes behind it buffered and unread;</item>
/// <item>find the newest live session serving that ID, else answer the client with a
///   ForwardReply saying unknown or offline;</item>
/// <item>open a forward stream to the server, hand it the buffered bytes, then splice both
///   streams until they are done.</item>
/// </list>
/// The edge never parses what follows ForwardOpen. The forward auth token does not pass through
/// at all: the server challenges the client, which answers with a proof good for that stream
/// only (<c>ForwardProof</c> in the agent).
/// </summary>
internal sealed partial class ForwardRelay(EdgeServices edge, ILogger logger)
{
    public async Task RunAsync(MuxStream client, AgentForwards from, CancellationToken ct)
    {
        await using (client.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(client, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
            try
            {
                var open = await ReadOpenAsync(reader, from, ct).ConfigureAwait(false);
                if (open is null)
                {
                    client.Abort();
                    return;
                }

                var serverId = open.ServerId;
                var found = edge.Forwards.Find(serverId);
                if (found.Session is not { } server)
                {
                    LogNoServer(logger, serverId, found.State.ToString(), from.UserEmail);
                    await ReplyAsync(client, NoServerReply(serverId, found), ct).ConfigureAwait(false);
                    return;
                }

                MuxStream upstream;
                try
                {
                    upstream = await server.OpenForwardStreamAsync(serverId, from, ct).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    LogServerOpenFailed(logger, serverId, e.Message);
                    await ReplyAsync(client, new ForwardReply
                    {
                        Status = ForwardStatus.ServerOffline,
                        Message = $"forward server '{serverId}' could not take the stream ({e.Message}); it may be reconnecting, try again shortly",
                    }, ct).ConfigureAwait(false);
                    return;
                }

                await using (upstream.ConfigureAwait(false))
                {
                    LogRelayStarted(logger, serverId, from.UserEmail, from.PeerAddress);
                    await ForwardFraming.FlushBufferedAsync(reader, upstream, ct).ConfigureAwait(false);
                    await reader.CompleteAsync().ConfigureAwait(false);
                    await StreamSplice.RunAsync(client, upstream, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                LogRelayEnded(logger, e.Message);
                client.Abort();
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Answers a stream the edge will not relay, then closes it.</summary>
    public async Task RefuseAsync(MuxStream client, ForwardStatus status, string message, CancellationToken ct)
    {
        await using (client.ConfigureAwait(false))
        {
            try
            {
                await ReplyAsync(client, new ForwardReply { Status = status, Message = message }, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                client.Abort();
            }
        }
    }

    private async Task<ForwardOpen?> ReadOpenAsync(PipeReader reader, AgentForwards from, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(ForwardLimits.OpenTimeout, edge.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var frame = await ForwardFraming.ReadAsync(reader, ForwardOpen.Parser, linked.Token).ConfigureAwait(false);
            if (frame.Status != ForwardFrameStatus.Message)
            {
                LogBadOpen(logger, from.SessionId, frame.Status.ToString());
                return null;
            }

            return frame.Message;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            LogBadOpen(logger, from.SessionId, "no ForwardOpen in time");
            return null;
        }
    }

    private static ForwardReply NoServerReply(string serverId, ForwardServerFound found) => found.State switch
    {
        ForwardServerLookup.Offline => new ForwardReply
        {
            Status = ForwardStatus.ServerOffline,
            Message = $"forward server '{serverId}' is offline (last connected {found.LastSeen:u})",
        },
        _ => new ForwardReply
        {
            Status = ForwardStatus.UnknownServer,
            Message = $"no forward server '{serverId}' has connected to this edge",
        },
    };

    private static async Task ReplyAsync(MuxStream client, ForwardReply reply, CancellationToken ct)
    {
        await ForwardFraming.WriteAsync(client, reply, ct).ConfigureAwait(false);
        await client.CompleteWritesAsync(ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "forward to {ServerId} refused for {Email}: server {State}")]
    private static partial void LogNoServer(ILogger logger, string serverId, string state, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "forward to {ServerId}: opening a stream to the server failed: {Reason}")]
    private static partial void LogServerOpenFailed(ILogger logger, string serverId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "forward to {ServerId} for {Email} from {Peer}")]
    private static partial void LogRelayStarted(ILogger logger, string serverId, string email, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "forward relay ended: {Reason}")]
    private static partial void LogRelayEnded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId} opened a forward stream without a valid ForwardOpen: {Reason}")]
    private static partial void LogBadOpen(ILogger logger, string sessionId, string reason);
}
