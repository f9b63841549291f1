using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Connection;

/// <summary>
/// What every kind of agent session does whatever it serves (an HTTP tunnel, a tenant's
/// services, a port-forward server): heartbeats on the control stream, serving each stream the
/// edge opens, and wording socket and TLS failures for the person reading the log.
/// </summary>
public static class SessionLoops
{
    /// <summary>
    /// One connection's life: dials <paramref name="endpoint"/> (TLS 1.3, the agent ALPN),
    /// starts the client mux session with 15 s keepalive, and runs <paramref name="runSession"/>
    /// on it. Failures become outcomes for the reconnect loop: unreachable before the session,
    /// lost after it started, stopped when <paramref name="cancellationToken"/> fired.
    /// </summary>
    public static async Task<AgentOutcome> ConnectAndRunAsync(
        Uri endpoint,
        string? caCertificatePath,
        TimeSpan connectTimeout,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Func<MuxSession, CancellationToken, Task<AgentOutcome>> runSession,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(runSession);
        var (transport, failure) = await DialAsync(endpoint, caCertificatePath, connectTimeout, cancellationToken).ConfigureAwait(false);
        if (transport is null)
        {
            return failure!;
        }

        var mux = MuxSession.CreateClient(transport, MuxOptions.Default with { KeepAliveInterval = TimeSpan.FromSeconds(15) }, time, loggerFactory.CreateLogger<MuxSession>());
        await using (mux.ConfigureAwait(false))
        {
            try
            {
                return await runSession(mux, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
            }
            catch (Exception e) when (e is IOException or WireProtocolException or ObjectDisposedException)
            {
                return new AgentOutcome(AgentOutcomeKind.Lost, $"connection to {endpoint} lost: {Describe(e)}");
            }
        }
    }

    /// <summary>
    /// Dials the edge (<see cref="EdgeDialer"/>). Failures come back as the outcome instead:
    /// stopped, unreachable (retried with backoff), or a fatal refusal when the CA file to
    /// trust cannot be read.
    /// </summary>
    public static async Task<(Stream? Transport, AgentOutcome? Failure)> DialAsync(Uri endpoint, string? caCertificatePath, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        try
        {
            return (await EdgeDialer.ConnectAsync(endpoint, caCertificatePath, connectTimeout, cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, new AgentOutcome(AgentOutcomeKind.Stopped, "stopped"));
        }
        catch (EdgeTrustException e)
        {
            return (null, new AgentOutcome(AgentOutcomeKind.Refused, e.Message, ErrorCode.FailedPrecondition));
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            return (null, new AgentOutcome(AgentOutcomeKind.Unreachable, $"connect to {endpoint} failed: {Describe(e)}"));
        }
    }

    /// <summary>
    /// Runs a session that is ready (its tunnel open or its services synced): serves the streams
    /// the edge opens with <paramref name="serveStream"/> and sends heartbeats, while reading the
    /// control stream until the edge ends the session or <paramref name="ct"/> fires. Errors the
    /// edge reports meanwhile go to <paramref name="onError"/>, and the last one explains a
    /// close; <paramref name="onCancel"/> turns the edge's Cancel into the outcome.
    /// </summary>
    public static async Task<AgentOutcome> ServeReadySessionAsync(
        MuxSession mux,
        MessageChannel<ServerMessage, ClientMessage> control,
        TimeSpan heartbeatEvery,
        TimeProvider time,
        Func<MuxStream, CancellationToken, Task> serveStream,
        Func<Cancel, AgentOutcome> onCancel,
        Action<Error> onError,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(onCancel);
        ArgumentNullException.ThrowIfNull(onError);
        using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var accept = AcceptStreamsAsync(mux, serveStream, sessionEnd.Token);
        var heartbeat = SendHeartbeatsAsync(control, heartbeatEvery, time, sessionEnd.Token);
        try
        {
            var outcome = await ReadControlAsync(control, onCancel, onError, sessionEnd.Token).ConfigureAwait(false);
            return outcome with { WasReady = true };
        }
        finally
        {
            await sessionEnd.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(accept, heartbeat).ConfigureAwait(false);
        }
    }

    /// <summary>The edge's Cancel as the outcome of a session that reconnects: lost, with the edge's reason.</summary>
    public static AgentOutcome LostOnCancel(Cancel cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        return new AgentOutcome(AgentOutcomeKind.Lost, cancel.Message.Length > 0 ? cancel.Message : cancel.Reason.ToString());
    }

    /// <summary>
    /// Reads the control stream of a ready session until the edge closes it or cancels (the
    /// outcome), logging errors it reports on the way through <paramref name="onError"/>.
    /// Heartbeat answers are read and dropped here.
    /// </summary>
    public static async Task<AgentOutcome> ReadControlAsync(MessageChannel<ServerMessage, ClientMessage> control, Func<Cancel, AgentOutcome> onCancel, Action<Error> onError, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(onCancel);
        ArgumentNullException.ThrowIfNull(onError);
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
                    return onCancel(message.Cancel);
                case ServerMessage.KindOneofCase.Error:
                    lastError = message.Error.Message;
                    onError(message.Error);
                    break;
            }
        }
    }

    /// <summary>Sends a numbered heartbeat every <paramref name="every"/> until cancelled or the control stream fails.</summary>
    public static async Task SendHeartbeatsAsync(MessageChannel<ServerMessage, ClientMessage> control, TimeSpan every, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(time);
        using var timer = new PeriodicTimer(every, time);
        ulong sequence = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await control.WriteAsync(new ClientMessage { Heartbeat = new Heartbeat { Sequence = ++sequence, SentUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() } }, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Serves every stream the edge opens with <paramref name="serve"/> until the session ends
    /// or <paramref name="ct"/> fires, then waits for the streams still being served.
    /// </summary>
    public static async Task AcceptStreamsAsync(MuxSession mux, Func<MuxStream, CancellationToken, Task> serve, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mux);
        ArgumentNullException.ThrowIfNull(serve);
        var inflight = new List<Task>();
        try
        {
            while (await mux.AcceptStreamAsync(ct).ConfigureAwait(false) is { } stream)
            {
                inflight.RemoveAll(t => t.IsCompleted);
                inflight.Add(serve(stream, ct));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(inflight).ConfigureAwait(false);
    }

    /// <summary>A failure to reach an edge or an origin, in the words curl and ssh use.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
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
    }
}
