using Microsoft.Extensions.Logging;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Sessions;

/// <summary>What <see cref="ControlLoop"/> needs of a session.</summary>
/// <param name="Kind">"session" or "tenant session", for the log.</param>
/// <param name="Closing">Cancelled when the session is closed; the loop cancels it when it ends.</param>
/// <param name="Handle">The session's own messages; unknown kinds are ignored there.</param>
/// <param name="Recheck">Runs beside the loop until it ends (revoked tokens, expired invites).</param>
internal sealed record ControlLoopSession(
    string Kind,
    string Id,
    MessageChannel<ClientMessage, ServerMessage> Control,
    MuxSession Mux,
    TimeProvider Time,
    CancellationTokenSource Closing,
    Func<ClientMessage, CancellationToken, ValueTask> Handle,
    Func<CancellationToken, Task> Recheck,
    ILogger Logger);

/// <summary>
/// The control-stream loop both kinds of agent session on the edge run (API-token tunnels and
/// invite-token tenants): it answers heartbeats, refuses a second hello (which ends the
/// session), and passes every other message to the session's own handler, which ignores kinds
/// it does not know (newer agents' messages) so that old edges stay usable.
/// </summary>
internal static partial class ControlLoop
{
    /// <summary>Serves the control stream until the agent goes away, the session is closed, or <paramref name="stopping"/> fires.</summary>
    public static async Task RunAsync(ControlLoopSession session, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, session.Closing.Token);
        var ct = linked.Token;
        var recheck = session.Recheck(ct);
        try
        {
            await ServeAsync(session, ct).ConfigureAwait(false);
        }
        finally
        {
            await session.Closing.CancelAsync().ConfigureAwait(false);
            await recheck.ConfigureAwait(false);
        }
    }

    private static async Task ServeAsync(ControlLoopSession session, CancellationToken ct)
    {
        var control = session.Control;
        try
        {
            while (!ct.IsCancellationRequested && await control.ReadAsync(ct).ConfigureAwait(false) is { } message)
            {
                switch (message.KindCase)
                {
                    case ClientMessage.KindOneofCase.Heartbeat:
                        await control.WriteAsync(new ServerMessage { Heartbeat = new Heartbeat { Sequence = message.Heartbeat.Sequence, SentUnixMs = session.Time.GetUtcNow().ToUnixTimeMilliseconds() } }, ct).ConfigureAwait(false);
                        break;
                    case ClientMessage.KindOneofCase.Hello:
                        await control.WriteAsync(new ServerMessage { Error = new Error { Code = ErrorCode.FailedPrecondition, Message = "hello was already exchanged on this session" } }, ct).ConfigureAwait(false);
                        return;
                    default:
                        await session.Handle(message, ct).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (WireProtocolException e)
        {
            LogProtocolViolation(session.Logger, session.Kind, session.Id, e.Message);
            await session.Mux.GoAwayAsync(MuxGoAwayCode.ProtocolError, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            LogSessionLost(session.Logger, session.Kind, session.Id, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {SessionId} broke the protocol: {Reason}")]
    private static partial void LogProtocolViolation(ILogger logger, string kind, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {SessionId} lost: {Reason}")]
    private static partial void LogSessionLost(ILogger logger, string kind, string sessionId, string reason);
}
