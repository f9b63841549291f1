using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Mux;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Forwards;

/// <summary>A connected edge session, or the outcome that stopped it from connecting.</summary>
internal readonly record struct EdgeConnect(EdgeSession? Session, AgentOutcome? Failure);

/// <summary>
/// One authenticated agent session with an edge, as the port-forward server and client use it:
/// <list type="number">
/// <item>TLS 1.3 with the agent ALPN, then a yamux session (client side);</item>
/// <item>the control stream: ClientHello, expect ServerHello;</item>
/// <item>request/answer exchanges on the control stream (registration, attach);</item>
/// <item>heartbeats and control reads until either side ends the session.</item>
/// </list>
/// Disposing it ends the mux session and with it every stream on it.
/// </summary>
internal sealed partial class EdgeSession : IAsyncDisposable
{
    private readonly MessageChannel<ServerMessage, ClientMessage> _control;
    private readonly TimeSpan _heartbeatEvery;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private EdgeSession(MuxSession mux, MessageChannel<ServerMessage, ClientMessage> control, TimeSpan heartbeatEvery, TimeProvider time, ILogger logger)
    {
        Mux = mux;
        _control = control;
        _heartbeatEvery = heartbeatEvery;
        _time = time;
        _logger = logger;
    }

    public MuxSession Mux { get; }

    public static async Task<EdgeConnect> ConnectAsync(EdgeSettings settings, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var (transport, dialFailure) = await SessionLoops.DialAsync(settings.Endpoint, settings.CaCertificatePath, settings.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (transport is null)
        {
            return new EdgeConnect(null, dialFailure);
        }

        var mux = MuxSession.CreateClient(transport, MuxOptions.Default with { KeepAliveInterval = TimeSpan.FromSeconds(15) }, time, loggerFactory.CreateLogger<MuxSession>());
        MessageChannel<ServerMessage, ClientMessage>? control = null;
        try
        {
            control = new MessageChannel<ServerMessage, ClientMessage>(await mux.OpenStreamAsync(cancellationToken).ConfigureAwait(false), ServerMessage.Parser);
            await control.WriteAsync(new ClientMessage
            {
                Hello = new ClientHello { ProtocolVersion = WireProtocol.Version, ClientVersion = settings.ClientVersion, Token = settings.Token },
            }, cancellationToken).ConfigureAwait(false);
            var answer = await control.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (answer?.KindCase == ServerMessage.KindOneofCase.Hello)
            {
                var every = TimeSpan.FromSeconds(Math.Max(1, answer.Hello.HeartbeatIntervalSeconds));
                return new EdgeConnect(new EdgeSession(mux, control, every, time, loggerFactory.CreateLogger<EdgeSession>()), null);
            }

            var failure = answer?.KindCase == ServerMessage.KindOneofCase.Error
                ? new AgentOutcome(AgentOutcomeKind.Refused, answer.Error.Message, answer.Error.Code)
                : new AgentOutcome(AgentOutcomeKind.Lost, "the edge closed the connection during the hello");
            await DisposeAsync(control, mux).ConfigureAwait(false);
            return new EdgeConnect(null, failure);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            await DisposeAsync(control, mux).ConfigureAwait(false);
            return new EdgeConnect(null, cancellationToken.IsCancellationRequested
                ? new AgentOutcome(AgentOutcomeKind.Stopped, "stopped")
                : new AgentOutcome(AgentOutcomeKind.Lost, $"connection to {settings.Endpoint} lost during the hello: {e.Message}"));
        }
    }

    /// <summary>Sends a request and returns the edge's next answer that is not a heartbeat (null: the session ended).</summary>
    public async Task<ServerMessage?> RequestAsync(ClientMessage request, CancellationToken cancellationToken)
    {
        await _control.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var answer = await _control.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (answer?.KindCase != ServerMessage.KindOneofCase.Heartbeat)
            {
                return answer;
            }
        }
    }

    /// <summary>
    /// One request/answer exchange as the forward server and client make it: the answer when it is
    /// of the <paramref name="expected"/> kind, otherwise the outcome to report (refused with the
    /// edge's error, lost, or stopped). <paramref name="doing"/> names the step in messages
    /// ("attaching"), <paramref name="unfinished"/> what had not happened when the edge hung up.
    /// </summary>
    public async Task<(ServerMessage? Answer, AgentOutcome? Failure)> ExchangeAsync(ClientMessage request, ServerMessage.KindOneofCase expected, string doing, string unfinished, CancellationToken ct)
    {
        ServerMessage? answer;
        try
        {
            answer = await RequestAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            return (null, ct.IsCancellationRequested
                ? new AgentOutcome(AgentOutcomeKind.Stopped, "stopped")
                : new AgentOutcome(AgentOutcomeKind.Lost, $"connection lost while {doing}: {e.Message}"));
        }

        if (answer?.KindCase == expected)
        {
            return (answer, null);
        }

        return (null, answer?.KindCase == ServerMessage.KindOneofCase.Error
            ? new AgentOutcome(AgentOutcomeKind.Refused, answer.Error.Message, answer.Error.Code)
            : new AgentOutcome(AgentOutcomeKind.Lost, $"the edge ended the session before {unfinished} (is the edge older than this tunnelctl?)"));
    }

    /// <summary>Sends heartbeats and reads the control stream until the session ends or is cancelled.</summary>
    public async Task<AgentOutcome> RunAsync(CancellationToken cancellationToken)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeats = SessionLoops.SendHeartbeatsAsync(_control, _heartbeatEvery, _time, end.Token);
        try
        {
            var outcome = await SessionLoops.ReadControlAsync(_control, SessionLoops.LostOnCancel, error => LogEdgeError(_logger, error.Code.ToString(), error.Message), end.Token).ConfigureAwait(false);
            return outcome.Kind == AgentOutcomeKind.Stopped ? outcome : outcome with { WasReady = true };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return new AgentOutcome(AgentOutcomeKind.Lost, $"connection to the edge lost: {e.Message}", WasReady: true);
        }
        finally
        {
            await end.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await DisposeAsync(_control, Mux).ConfigureAwait(false);

    private static async ValueTask DisposeAsync(MessageChannel<ServerMessage, ClientMessage>? control, MuxSession mux)
    {
        if (control is not null)
        {
            await control.DisposeAsync().ConfigureAwait(false);
        }

        await mux.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "edge reported {Code}: {Message}")]
    private static partial void LogEdgeError(ILogger logger, string code, string message);
}
