using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// <c>tunnelctl port-forward server</c>: runs beside the targets, stays connected to each of
/// its edges as the forward server <c>&lt;name&gt;.&lt;slug&gt;</c>, and serves the forward
/// streams they relay to it. Per edge, on its own connection:
/// <list type="number">
/// <item>connect and authenticate to the edge like any agent (API token);</item>
/// <item>RegisterForwardServer, expect ForwardServerRegistered with the ID clients use;</item>
/// <item>accept forward streams; each is checked on its own (token, source against the
///   allowlist after resolution, session limit) before the server dials anything;</item>
/// <item>on a lost session, reconnect with backoff and register again.</item>
/// </list>
/// </summary>
public sealed partial class ForwardServer
{
    private readonly ForwardServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SourceResolver _resolver;
    private int _activeSessions;

    public ForwardServer(ForwardServerOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ForwardServer>();
        _time = timeProvider ?? TimeProvider.System;
        _resolver = new SourceResolver(options.Allowlist, _time);
    }

    /// <summary>Raised with the server ID and the edge after each successful registration.</summary>
    public event Action<string, Uri>? Registered;

    /// <summary>Raised with each failed or lost attempt (on any edge) and the delay before the next one.</summary>
    public event Action<AgentOutcome, TimeSpan>? Retrying;

    /// <summary>
    /// Serves on every edge until cancelled, each edge reconnecting on its own with backoff.
    /// A fatal refusal on one edge (a bad token or name, which no edge would accept) stops them all.
    /// </summary>
    /// <param name="newBackoff">Makes each edge's backoff; <see cref="Backoff.Default"/> when null.</param>
    /// <returns>The fatal outcome that stopped the server, or a Stopped outcome on cancellation.</returns>
    public async Task<AgentOutcome> RunAsync(Func<Backoff>? newBackoff, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var outcomes = await Task.WhenAll(_options.Edges.Select(async edge =>
        {
            var outcome = await ReconnectLoop.RunAsync(ct => RunOnceAsync(edge, ct), newBackoff?.Invoke() ?? Backoff.Default(), _time, Retrying, stop.Token).ConfigureAwait(false);
            if (outcome.Kind != AgentOutcomeKind.Stopped)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            return outcome;
        })).ConfigureAwait(false);
        return outcomes.FirstOrDefault(o => o.Kind != AgentOutcomeKind.Stopped) ?? outcomes[0];
    }

    private async Task<AgentOutcome> RunOnceAsync(EdgeSettings edge, CancellationToken ct)
    {
        var connect = await EdgeSession.ConnectAsync(edge, _loggerFactory, _time, ct).ConfigureAwait(false);
        if (connect.Session is not { } session)
        {
            return connect.Failure!;
        }

        await using (session.ConfigureAwait(false))
        {
            var (answer, failure) = await session.ExchangeAsync(
                new ClientMessage { RegisterForwardServer = new RegisterForwardServer { RequestId = 1, Name = _options.Name } },
                ServerMessage.KindOneofCase.ForwardServerRegistered, "registering", "the server was registered", ct).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            var serverId = answer!.ForwardServerRegistered.ServerId;
            LogRegistered(_logger, serverId, edge.Endpoint.ToString());
            Registered?.Invoke(serverId, edge.Endpoint);

            using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var accept = SessionLoops.AcceptStreamsAsync(session.Mux, ServeStreamAsync, sessionEnd.Token);
            try
            {
                return await session.RunAsync(sessionEnd.Token).ConfigureAwait(false);
            }
            finally
            {
                await sessionEnd.CancelAsync().ConfigureAwait(false);
                await accept.ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "registered as forward server {ServerId} on {Edge}")]
    private static partial void LogRegistered(ILogger logger, string serverId, string edge);
}
