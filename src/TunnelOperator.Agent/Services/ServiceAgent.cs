using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Mux;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.Streams;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Services;

/// <summary>
/// One connection of a tenant agent to one edge:
/// <list type="number">
/// <item>dial TLS 1.3 with the agent ALPN, start a yamux session, open the control stream;</item>
/// <item>ClientHello with the invite token → ServerHello;</item>
/// <item>SyncServices with the whole service list and this process's agent id → ServicesSynced,
///   one status per service (refusals carry their reason);</item>
/// <item>serve the edge's streams by kind: passthrough, terminate and TCP are spliced to a new
///   origin connection (PROXY v2 first when the service asks), UDP runs a per-client origin
///   session; heartbeats flow until either side ends the session.</item>
/// </list>
/// Reconnecting is <see cref="ServiceAgentGroup"/>'s job.
/// </summary>
public sealed partial class ServiceAgent(ServiceAgentOptions options, Uri edge, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ServiceAgent>();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private string _tenant = string.Empty;

    public Uri Edge => edge;

    public Task<AgentOutcome> RunOnceAsync(Action<Uri, ServicesSynced> onSynced, CancellationToken cancellationToken) =>
        SessionLoops.ConnectAndRunAsync(edge, options.CaCertificatePath, options.ConnectTimeout, _time, loggerFactory, (mux, ct) => RunSessionAsync(mux, onSynced, ct), cancellationToken);

    private async Task<AgentOutcome> RunSessionAsync(MuxSession mux, Action<Uri, ServicesSynced> onSynced, CancellationToken ct)
    {
        var controlStream = await mux.OpenStreamAsync(ct).ConfigureAwait(false);
        await using var control = new MessageChannel<ServerMessage, ClientMessage>(controlStream, ServerMessage.Parser);
        await control.WriteAsync(new ClientMessage
        {
            Hello = new ClientHello { ProtocolVersion = WireProtocol.Version, ClientVersion = options.ClientVersion, Token = options.InviteToken },
        }, ct).ConfigureAwait(false);
        var answer = await control.ReadAsync(ct).ConfigureAwait(false);
        if (answer?.KindCase != ServerMessage.KindOneofCase.Hello)
        {
            return Refusal(answer, "the edge closed the connection during the hello");
        }

        var heartbeatEvery = TimeSpan.FromSeconds(Math.Max(1, answer.Hello.HeartbeatIntervalSeconds));
        var sync = new SyncServices { RequestId = 1, AgentId = options.AgentId.ToString() };
        sync.Services.AddRange(options.Services.Select(s => s.ToDeclaration()));
        await control.WriteAsync(new ClientMessage { SyncServices = sync }, ct).ConfigureAwait(false);
        answer = await control.ReadAsync(ct).ConfigureAwait(false);
        if (answer?.KindCase != ServerMessage.KindOneofCase.ServicesSynced)
        {
            return Refusal(answer, "the edge closed the connection before answering the service declaration");
        }

        _tenant = answer.ServicesSynced.TenantName;
        foreach (var status in answer.ServicesSynced.Services.Where(s => !s.Accepted))
        {
            LogRefusedService(_logger, edge.ToString(), status.Name, status.Code.ToString(), status.Reason);
        }

        onSynced(edge, answer.ServicesSynced);
        return await SessionLoops.ServeReadySessionAsync(
            mux, control, heartbeatEvery, _time, ServeStreamAsync, FromCancel,
            error => LogEdgeError(_logger, edge.ToString(), error.Code.ToString(), error.Message),
            ct).ConfigureAwait(false);
    }

    private static AgentOutcome Refusal(ServerMessage? answer, string otherwise) => answer?.KindCase switch
    {
        ServerMessage.KindOneofCase.Error => new AgentOutcome(AgentOutcomeKind.Refused, answer.Error.Message, answer.Error.Code),
        ServerMessage.KindOneofCase.Cancel => FromCancel(answer.Cancel),
        _ => new AgentOutcome(AgentOutcomeKind.Lost, otherwise),
    };

    // Superseded and removed tenants stop for good: a restart with the same invite would be refused.
    private static AgentOutcome FromCancel(Cancel cancel)
    {
        var text = cancel.Message.Length > 0 ? cancel.Message : cancel.Reason.ToString();
        return cancel.Reason switch
        {
            CancelReason.Superseded => new AgentOutcome(AgentOutcomeKind.Refused, text, ErrorCode.FailedPrecondition),
            CancelReason.TenantRemoved => new AgentOutcome(AgentOutcomeKind.Refused, text, ErrorCode.PermissionDenied),
            _ => new AgentOutcome(AgentOutcomeKind.Lost, text),
        };
    }

    private async Task ServeStreamAsync(MuxStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var header = await StreamHeaders.ReadAsync(stream, ct).ConfigureAwait(false);
                var protocol = header.Kind switch
                {
                    StreamKind.Passthrough or StreamKind.Terminate => ServiceProtocol.Tls,
                    StreamKind.Tcp => ServiceProtocol.Tcp,
                    StreamKind.Udp => ServiceProtocol.Udp,
                    _ => ServiceProtocol.Unspecified,
                };
                var service = options.Services.FirstOrDefault(s => s.Protocol == protocol && s.Name == header.Service);
                if (service is null)
                {
                    LogUnknownService(_logger, header.Kind.ToString(), header.Service);
                    stream.Abort();
                    return;
                }

                if (protocol == ServiceProtocol.Udp)
                {
                    await UdpOriginSession.RunAsync(stream, service, header, _tenant, options.UdpIdleTimeout, _time, ct).ConfigureAwait(false);
                    return;
                }

                Stream origin;
                try
                {
                    origin = await OriginConnector.ConnectAsync(service, header, _tenant, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
                {
                    LogOriginFailed(_logger, service.Name, service.Origin, e.Message);
                    stream.Abort();
                    return;
                }

                await using (origin.ConfigureAwait(false))
                {
                    await BufferedSplice.RunAsync(stream, origin, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or WireProtocolException or ObjectDisposedException or SocketException)
            {
                LogStreamFailed(_logger, stream.Id, e.Message);
                stream.Abort();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "edge {Edge} refused service {Service}: {Code}: {Reason}")]
    private static partial void LogRefusedService(ILogger logger, string edge, string service, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "edge {Edge} reported {Code}: {Message}")]
    private static partial void LogEdgeError(ILogger logger, string edge, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "service {Service}: origin {Origin} unreachable: {Reason}")]
    private static partial void LogOriginFailed(ILogger logger, string service, string origin, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the edge opened a {Kind} stream for unknown service '{Service}'; reset it")]
    private static partial void LogUnknownService(ILogger logger, string kind, string service);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stream {StreamId} ended with an error: {Reason}")]
    private static partial void LogStreamFailed(ILogger logger, uint streamId, string reason);
}
