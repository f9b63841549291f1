using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Origin;
using TunnelOperator.Mux;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Connection;

/// <summary>
/// One connection of an HTTP tunnel agent to its edge:
/// <list type="number">
/// <item>dial TLS 1.3 with the agent ALPN and start a yamux session (client side);</item>
/// <item>open the control stream, send ClientHello, expect ServerHello;</item>
/// <item>send OpenTunnel, expect TunnelOpened (the public URL);</item>
/// <item>accept the edge's data streams and splice each to the origin, while heartbeats
///   flow on the control stream, until either side ends the session.</item>
/// </list>
/// Reconnecting is the caller's job (<see cref="ReconnectingAgent"/>).
/// </summary>
public sealed partial class TunnelAgent(TunnelClientOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<TunnelAgent>();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly OriginDialer _origin = new(options.Target);

    public Task<AgentOutcome> RunOnceAsync(Action<TunnelOpened> onReady, CancellationToken cancellationToken) =>
        SessionLoops.ConnectAndRunAsync(options.Endpoint, options.CaCertificatePath, options.ConnectTimeout, _time, loggerFactory, (mux, ct) => RunSessionAsync(mux, onReady, ct), cancellationToken);

    private async Task<AgentOutcome> RunSessionAsync(MuxSession mux, Action<TunnelOpened> onReady, CancellationToken cancellationToken)
    {
        var controlStream = await mux.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var control = new MessageChannel<ServerMessage, ClientMessage>(controlStream, ServerMessage.Parser);

        await control.WriteAsync(new ClientMessage
        {
            Hello = new ClientHello { ProtocolVersion = WireProtocol.Version, ClientVersion = options.ClientVersion, Token = options.Token },
        }, cancellationToken).ConfigureAwait(false);
        var answer = await control.ReadAsync(cancellationToken).ConfigureAwait(false);
        switch (answer?.KindCase)
        {
            case ServerMessage.KindOneofCase.Hello:
                break;
            case ServerMessage.KindOneofCase.Error:
                return new AgentOutcome(AgentOutcomeKind.Refused, answer.Error.Message, answer.Error.Code);
            default:
                return new AgentOutcome(AgentOutcomeKind.Lost, "the edge closed the connection during the hello");
        }

        var heartbeatEvery = TimeSpan.FromSeconds(Math.Max(1, answer.Hello.HeartbeatIntervalSeconds));
        await control.WriteAsync(new ClientMessage
        {
            OpenTunnel = new OpenTunnel
            {
                RequestId = 1,
                Name = options.Name ?? string.Empty,
                Takeover = options.Takeover,
                Protocol = TunnelProtocol.Http,
                Target = options.Target.ToString(),
            },
        }, cancellationToken).ConfigureAwait(false);

        answer = await control.ReadAsync(cancellationToken).ConfigureAwait(false);
        switch (answer?.KindCase)
        {
            case ServerMessage.KindOneofCase.Opened:
                break;
            case ServerMessage.KindOneofCase.Error:
                return new AgentOutcome(AgentOutcomeKind.Refused, answer.Error.Message, answer.Error.Code);
            default:
                return new AgentOutcome(AgentOutcomeKind.Lost, "the edge closed the connection before the tunnel opened");
        }

        var opened = answer.Opened;
        LogOpened(_logger, opened.PublicUrl, answer.Opened.TunnelId);
        onReady(opened);

        return await SessionLoops.ServeReadySessionAsync(
            mux, control, heartbeatEvery, _time, ServeStreamAsync,
            SessionLoops.LostOnCancel,
            error => LogEdgeError(_logger, error.Code.ToString(), error.Message),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task ServeStreamAsync(MuxStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var header = await StreamHeaders.ReadAsync(stream, ct).ConfigureAwait(false);
                Stream origin;
                try
                {
                    origin = await _origin.ConnectAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
                {
                    LogOriginFailed(_logger, _origin.Target.ToString(), e.Message);
                    await WriteBadGatewayAsync(stream, $"the tunnel's origin {_origin.Target} is unreachable: {SessionLoops.Describe(e)}", ct).ConfigureAwait(false);
                    return;
                }

                await using (origin.ConfigureAwait(false))
                {
                    LogStreamOpened(_logger, stream.Id, header.ClientAddress);
                    await StreamSplice.RunAsync(stream, origin, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or WireProtocolException or ObjectDisposedException)
            {
                LogStreamFailed(_logger, stream.Id, e.Message);
                stream.Abort();
            }
        }
    }

    // The edge's forwarder reads HTTP/1.1 on this stream, so an origin failure is reported as
    // a response the public client can read instead of a bare connection reset.
    private static async Task WriteBadGatewayAsync(MuxStream stream, string message, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, ct).ConfigureAwait(false);
        await stream.WriteAsync(body, ct).ConfigureAwait(false);
        await stream.CompleteWritesAsync(ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tunnel open at {PublicUrl} (id {TunnelId})")]
    private static partial void LogOpened(ILogger logger, string publicUrl, string tunnelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "edge reported {Code}: {Message}")]
    private static partial void LogEdgeError(ILogger logger, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "origin {Origin} unreachable: {Reason}")]
    private static partial void LogOriginFailed(ILogger logger, string origin, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stream {StreamId} from {Client} spliced to the origin")]
    private static partial void LogStreamOpened(ILogger logger, uint streamId, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stream {StreamId} ended with an error: {Reason}")]
    private static partial void LogStreamFailed(ILogger logger, uint streamId, string reason);
}
