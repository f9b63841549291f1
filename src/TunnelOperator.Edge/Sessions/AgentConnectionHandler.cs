using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using TunnelOperator.Mux;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;

namespace TunnelOperator.Edge.Sessions;

/// <summary>
/// Serves one agent connection after TLS and ALPN have selected the agent protocol:
/// <list type="number">
/// <item>start a yamux session (server side);</item>
/// <item>accept the agent's first stream as the control stream, within the hello timeout;</item>
/// <item>check the protocol version and authenticate the token;</item>
/// <item>answer ServerHello, then run the session until either side ends it.</item>
/// </list>
/// </summary>
public sealed partial class AgentConnectionHandler(EdgeServices edge)
{
    private readonly ILogger _logger = edge.LoggerFactory.CreateLogger<AgentConnectionHandler>();

    /// <summary>
    /// Serves an agent connection that Kestrel has taken through TLS (on the HTTPS port). The session reads and
    /// writes the connection's <see cref="SslStream"/> itself when Kestrel exposes it: Kestrel's
    /// own pipe over TLS hands the stream one 4 KiB pool block per write, so bulk data left as
    /// 4 KiB TLS records (four times the records, encryptions and transport writes of 16 KiB
    /// ones) through two extra pipes. Nothing has read the pipe yet at this point (the agent
    /// check looks at ALPN only), so no byte is left behind in it.
    /// </summary>
    public Task HandleAsync(ConnectionContext connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tls = connection.Features.Get<ISslStreamFeature>()?.SslStream;
        return tls is null
            ? HandleAsync(connection.Transport, connection.RemoteEndPoint, stopping)
            : HandleAsync(tls, connection.RemoteEndPoint, stopping);
    }

    /// <summary>Serves an agent connection on a TLS stream the control port accepted itself; the session owns and disposes it.</summary>
    public Task HandleAsync(Stream tls, EndPoint? remote, CancellationToken stopping) =>
        RunAsync(options => MuxSession.CreateServer(tls, options, edge.Time, edge.LoggerFactory.CreateLogger<MuxSession>()), remote, stopping);

    public Task HandleAsync(IDuplexPipe transport, EndPoint? remote, CancellationToken stopping) =>
        RunAsync(options => MuxSession.CreateServer(transport, options, edge.Time, edge.LoggerFactory.CreateLogger<MuxSession>()), remote, stopping);

    private async Task RunAsync(Func<MuxOptions, MuxSession> start, EndPoint? remote, CancellationToken stopping)
    {
        var peer = remote?.ToString() ?? "unknown";
        var muxOptions = MuxOptions.Default with { KeepAliveInterval = edge.Options.HeartbeatInterval };
        var mux = start(muxOptions);
        AgentSession? session = null;
        try
        {
            session = await HelloAsync(mux, peer, stopping).ConfigureAwait(false);
            if (session is null)
            {
                return;
            }

            edge.Sessions.Add(session);
            edge.Metrics.AgentSessionStarted();
            LogSessionStarted(_logger, session.Id, session.User.Email, peer, session.ClientVersion);
            await session.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogConnectionEnded(_logger, peer, e.Message);
        }
        finally
        {
            if (session is not null)
            {
                edge.Sessions.Remove(session);
                await session.DisposeAsync().ConfigureAwait(false);
                LogSessionEnded(_logger, session.Id);
            }
            else
            {
                await mux.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<AgentSession?> HelloAsync(MuxSession mux, string peer, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(edge.Options.HelloTimeout);
        MuxStream? stream;
        try
        {
            stream = await mux.AcceptStreamAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            LogHelloTimeout(_logger, peer);
            return null;
        }

        if (stream is null)
        {
            return null;
        }

        var control = new MessageChannel<ClientMessage, ServerMessage>(stream, ClientMessage.Parser);
        var keep = false;
        try
        {
            ClientMessage? first;
            try
            {
                first = await control.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                LogHelloTimeout(_logger, peer);
                return null;
            }
            catch (WireProtocolException e)
            {
                LogBadHello(_logger, peer, e.Message);
                await mux.GoAwayAsync(MuxGoAwayCode.ProtocolError, CancellationToken.None).ConfigureAwait(false);
                return null;
            }

            if (first is null || first.KindCase != ClientMessage.KindOneofCase.Hello)
            {
                await RefuseAsync(mux, stream, control, ErrorCode.FailedPrecondition, "the first control message must be a hello", stopping).ConfigureAwait(false);
                return null;
            }

            var hello = first.Hello;
            if (hello.ProtocolVersion != WireProtocol.Version)
            {
                await RefuseAsync(mux, stream, control, ErrorCode.FailedPrecondition,
                    $"protocol version {hello.ProtocolVersion} is not supported by this edge (it speaks {WireProtocol.Version}); upgrade tunnelctl to {WireProtocol.ProgramVersion}",
                    stopping).ConfigureAwait(false);
                return null;
            }

            if (InviteToken.LooksLikeInvite(hello.Token))
            {
                // Tenant agents (invite tokens) belong to the L4 engine, which owns the control
                // channel from here on and runs the session to its end.
                keep = true;
                await edge.L4.Agents.RunAsync(mux, stream, control, hello, peer, stopping).ConfigureAwait(false);
                return null;
            }

            AuthenticatedToken? authenticated;
            try
            {
                authenticated = await edge.Store.AuthenticateAsync(hello.Token, stopping).ConfigureAwait(false);
            }
            catch (StoreUnavailableException e)
            {
                // Not the agent's fault: it should keep its token and retry with backoff.
                LogStoreUnavailable(_logger, peer, e.Message);
                await RefuseAsync(mux, stream, control, ErrorCode.Unavailable, "the edge cannot reach its store right now; retrying later will work once it is back", stopping).ConfigureAwait(false);
                return null;
            }

            if (authenticated is null)
            {
                edge.Metrics.AgentAuthFailed();
                LogAuthFailed(_logger, peer);
                await RefuseAsync(mux, stream, control, ErrorCode.PermissionDenied, "invalid token", stopping).ConfigureAwait(false);
                return null;
            }

            var session = new AgentSession(mux, control, edge, authenticated.User, authenticated.TokenId,
                string.IsNullOrWhiteSpace(hello.ClientVersion) ? "unknown" : hello.ClientVersion, peer);
            await session.SendAsync(new ServerMessage
            {
                Hello = new ServerHello
                {
                    ProtocolVersion = WireProtocol.Version,
                    ServerVersion = WireProtocol.ProgramVersion,
                    SessionId = session.Id,
                    HeartbeatIntervalSeconds = (uint)Math.Max(1, edge.Options.HeartbeatInterval.TotalSeconds),
                },
            }, stopping).ConfigureAwait(false);
            keep = true;
            return session;
        }
        finally
        {
            if (!keep)
            {
                await control.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Refusals are delivered gracefully: the error, then FIN and go-away, then a bounded wait
    // for the agent to hang up, so that the message is read before the connection closes.
    private static async Task RefuseAsync(MuxSession mux, MuxStream stream, MessageChannel<ClientMessage, ServerMessage> control, ErrorCode code, string message, CancellationToken ct)
    {
        try
        {
            await control.WriteAsync(new ServerMessage { Error = new Error { Code = code, Message = message } }, ct).ConfigureAwait(false);
            await stream.CompleteWritesAsync(ct).ConfigureAwait(false);
            await mux.GoAwayAsync(MuxGoAwayCode.Normal, ct).ConfigureAwait(false);
            await mux.Completion.WaitAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "agent session {SessionId} for {Email} from {Peer} (client {ClientVersion})")]
    private static partial void LogSessionStarted(ILogger logger, string sessionId, string email, string peer, string clientVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent session {SessionId} ended")]
    private static partial void LogSessionEnded(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent connection from {Peer} ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent from {Peer} sent no hello in time")]
    private static partial void LogHelloTimeout(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent from {Peer} sent a malformed hello: {Reason}")]
    private static partial void LogBadHello(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent from {Peer} could not be authenticated: the store is unavailable ({Reason})")]
    private static partial void LogStoreUnavailable(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent from {Peer} presented an invalid token")]
    private static partial void LogAuthFailed(ILogger logger, string peer);
}
