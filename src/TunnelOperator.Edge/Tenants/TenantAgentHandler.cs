using Microsoft.Extensions.Logging;
using TunnelOperator.Mux;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;

namespace TunnelOperator.Edge.Tenants;

/// <summary>
/// Takes over an agent connection whose ClientHello carries an invite token (the agent
/// connection handler hands it here after the version check):
/// <list type="number">
/// <item>decode the token and check its secret and expiry with the hub's store;</item>
/// <item>answer ServerHello and run a <see cref="TenantSession"/> until either side ends it.</item>
/// </list>
/// Refusals are sent as an Error followed by a go-away, like the API-token path.
/// </summary>
public sealed partial class TenantAgentHandler(EdgeServices edge)
{
    private readonly ILogger _logger = edge.LoggerFactory.CreateLogger<TenantAgentHandler>();

    public async Task RunAsync(MuxSession mux, MuxStream controlStream, MessageChannel<ClientMessage, ServerMessage> control, ClientHello hello, string peer, CancellationToken stopping)
    {
        if (!InviteToken.TryParse(hello.Token, out var invite, out var problem))
        {
            edge.Metrics.AgentAuthFailed();
            await RefuseAsync(mux, controlStream, control, ErrorCode.PermissionDenied, problem, stopping).ConfigureAwait(false);
            return;
        }

        StoreResult<Store.Tenants.AuthenticatedTenant> authenticated;
        try
        {
            authenticated = await edge.Store.AuthenticateInviteAsync(invite.TenantId, invite.InviteId, invite.Secret, stopping).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            LogStoreUnavailable(_logger, peer, e.Message);
            await RefuseAsync(mux, controlStream, control, ErrorCode.Unavailable, "the edge cannot reach its store right now; retrying later will work once it is back", stopping).ConfigureAwait(false);
            return;
        }

        if (!authenticated.Ok)
        {
            edge.Metrics.AgentAuthFailed();
            LogRefused(_logger, peer, authenticated.Message);
            await RefuseAsync(mux, controlStream, control, ErrorCode.PermissionDenied, authenticated.Message, stopping).ConfigureAwait(false);
            return;
        }

        var session = new TenantSession(mux, control, edge, authenticated.Value, string.IsNullOrWhiteSpace(hello.ClientVersion) ? "unknown" : hello.ClientVersion, peer);
        edge.L4.Sessions.Add(session);
        try
        {
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
            edge.Metrics.AgentSessionStarted();
            LogStarted(_logger, session.Id, session.TenantName, peer, session.ClientVersion);
            await session.RunAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            edge.L4.Sessions.Remove(session);
            await session.DisposeAsync().ConfigureAwait(false);
            LogEnded(_logger, session.Id);
        }
    }

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
        finally
        {
            await control.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tenant session {SessionId} for {Tenant} from {Peer} (client {ClientVersion})")]
    private static partial void LogStarted(ILogger logger, string sessionId, string tenant, string peer, string clientVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "tenant session {SessionId} ended")]
    private static partial void LogEnded(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "tenant agent from {Peer} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "tenant agent from {Peer} could not be authenticated: the store is unavailable ({Reason})")]
    private static partial void LogStoreUnavailable(ILogger logger, string peer, string reason);
}
