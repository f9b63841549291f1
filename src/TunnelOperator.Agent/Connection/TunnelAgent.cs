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

    public async Task<AgentOutcome> RunOnceAsync(Action<TunnelOpened> onReady, CancellationToken cancellationToken)
    {
        Stream transport;
        try
        {
            transport = await EdgeDialer.ConnectAsync(options.Endpoint, options.CaCertificatePath, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            return new AgentOutcome(AgentOutcomeKind.Unreachable, $"connect to {options.Endpoint} failed: {Describe(e)}");
        }

        var mux = MuxSession.CreateClient(transport, MuxOptions.Default with { KeepAliveInterval = TimeSpan.FromSeconds(15) }, _time, loggerFactory.CreateLogger<MuxSession>());
        await using (mux.ConfigureAwait(false))
        {
            try
            {
                return await RunSessionAsync(mux, onReady, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
            }
            catch (Exception e) when (e is IOException or WireProtocolException or ObjectDisposedException)
            {
                return new AgentOutcome(AgentOutcomeKind.Lost, $"connection to {options.Endpoint} lost: {Describe(e)}");
            }
        }
    }

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

        using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var accept = AcceptStreamsAsync(mux, sessionEnd.Token);
        var heartbeat = SendHeartbeatsAsync(control, heartbeatEvery, sessionEnd.Token);
        AgentOutcome outcome;
        try
        {
            outcome = await ReadControlAsync(control, sessionEnd.Token).ConfigureAwait(false);
        }
        finally
        {
            await sessionEnd.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(accept, heartbeat).ConfigureAwait(false);
        }

        return outcome with { WasReady = true };
    }

    private async Task<AgentOutcome> ReadControlAsync(MessageChannel<ServerMessage, ClientMessage> control, CancellationToken ct)
    {
        string? lastError = null;
        while (true)
        {
            ServerMessage? message;
            try
            {
                message = await control.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
            }

            switch (message?.KindCase)
            {
                case null:
                    return new AgentOutcome(AgentOutcomeKind.Lost, lastError ?? "the edge closed the session");
                case ServerMessage.KindOneofCase.Cancel:
                    var reason = message.Cancel.Message.Length > 0 ? message.Cancel.Message : message.Cancel.Reason.ToString();
                    return new AgentOutcome(AgentOutcomeKind.Lost, reason);
                case ServerMessage.KindOneofCase.Error:
                    lastError = message.Error.Message;
                    LogEdgeError(_logger, message.Error.Code.ToString(), message.Error.Message);
                    break;
            }
        }
    }

    private async Task SendHeartbeatsAsync(MessageChannel<ServerMessage, ClientMessage> control, TimeSpan every, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every, _time);
        ulong sequence = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await control.WriteAsync(new ClientMessage { Heartbeat = new Heartbeat { Sequence = ++sequence, SentUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds() } }, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptStreamsAsync(MuxSession mux, CancellationToken ct)
    {
        var inflight = new List<Task>();
        try
        {
            while (true)
            {
                var stream = await mux.AcceptStreamAsync(ct).ConfigureAwait(false);
                if (stream is null)
                {
                    break;
                }

                inflight.RemoveAll(t => t.IsCompleted);
                inflight.Add(ServeStreamAsync(stream, ct));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(inflight).ConfigureAwait(false);
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
                    await WriteBadGatewayAsync(stream, $"the tunnel's origin {_origin.Target} is unreachable: {Describe(e)}", ct).ConfigureAwait(false);
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

    private static string Describe(Exception e) => e switch
    {
        SocketException s => s.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "Connection refused",
            SocketError.TimedOut => "timed out",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            _ => s.Message,
        },
        AuthenticationException a => $"TLS handshake failed ({a.InnerException?.Message ?? a.Message})",
        _ => e.Message,
    };

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
