using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Sessions;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Edge.Tenants;

/// <summary>
/// One tenant agent connection (<c>tunnelctl agent</c>, authenticated by an invite token):
/// <list type="number">
/// <item>the agent sends SyncServices once; the hub reconciles it and the accepted services
///   become live routes served by this session (<see cref="TenantSession.SyncAsync"/>);</item>
/// <item>heartbeats flow both ways; the tenant's standing (invite valid, tenant present, agent
///   not superseded) is re-checked periodically;</item>
/// <item>for each public connection the edge opens a stream with a StreamHeader of an L4 kind.</item>
/// </list>
/// Disposing the session removes its routes (closing ports nobody else serves) and its streams.
/// </summary>
public sealed partial class TenantSession : IServiceSession, IAsyncDisposable
{
    private readonly MuxSession _mux;
    private readonly MessageChannel<ClientMessage, ServerMessage> _control;
    private readonly EdgeServices _edge;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private int _disposed;
    private int _synced;

    public TenantSession(MuxSession mux, MessageChannel<ClientMessage, ServerMessage> control, EdgeServices edge, AuthenticatedTenant tenant, string clientVersion, string peerAddress)
    {
        _mux = mux;
        _control = control;
        _edge = edge;
        _logger = edge.LoggerFactory.CreateLogger<TenantSession>();
        Tenant = tenant.Tenant;
        InviteId = tenant.InviteId;
        ClientVersion = clientVersion;
        PeerAddress = peerAddress;
        ConnectedAt = edge.Time.GetUtcNow();
    }

    public string Id { get; } = Guid.NewGuid().ToString();
    public TenantRecord Tenant { get; }
    public Guid TenantId => Tenant.Id;
    public string TenantName => Tenant.Name;
    public Guid InviteId { get; }
    public string ClientVersion { get; }
    public string PeerAddress { get; }
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The agent process's id, known after its SyncServices.</summary>
    public Guid? AgentId { get; private set; }

    /// <summary>The services this session serves (accepted at sync).</summary>
    public IReadOnlyList<ServiceStatus> Services { get; private set; } = [];

    private L4Services L4 => _edge.L4;

    public ValueTask<MuxStream> OpenStreamAsync(StreamHeader header, CancellationToken cancellationToken) =>
        StreamHeaders.OpenAsync(_mux, header, cancellationToken);

    public Task RunAsync(CancellationToken stopping) =>
        ControlLoop.RunAsync(new ControlLoopSession("tenant session", Id, _control, _mux, _edge.Time, _closing, HandleAsync, RecheckPeriodicallyAsync, _logger), stopping);

    private async ValueTask HandleAsync(ClientMessage message, CancellationToken ct)
    {
        switch (message.KindCase)
        {
            case ClientMessage.KindOneofCase.SyncServices:
                await SyncAsync(message.SyncServices, ct).ConfigureAwait(false);
                break;
            case ClientMessage.KindOneofCase.OpenTunnel:
                await SendErrorAsync(message.OpenTunnel.RequestId, ErrorCode.InvalidArgument, "an invite-token agent declares its services with SyncServices; HTTP tunnels (OpenTunnel) need an API token", ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Tells the agent why the session ends, then closes it.</summary>
    public async Task CloseAsync(CancelReason reason, string message)
    {
        try
        {
            await _control.WriteAsync(new ServerMessage { Cancel = new Cancel { Reason = reason, Message = message } }, CancellationToken.None).ConfigureAwait(false);
            if (reason == CancelReason.Shutdown)
            {
                await _mux.GoAwayAsync(MuxGoAwayCode.Normal, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }

        await _closing.CancelAsync().ConfigureAwait(false);
    }

    private async Task RecheckPeriodicallyAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_edge.Options.TokenRecheckInterval, _edge.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                TenantAgentStanding standing;
                try
                {
                    standing = await _edge.Store.CheckTenantAgentAsync(TenantId, InviteId, AgentId, ct).ConfigureAwait(false);
                }
                catch (StoreUnavailableException e)
                {
                    LogRecheckFailed(_logger, Id, e.Message); // an outage must not cut working services
                    continue;
                }

                if (standing != TenantAgentStanding.Active)
                {
                    var (reason, text) = Describe(standing);
                    LogClosedByStanding(_logger, Id, TenantName, text);
                    await CloseAsync(reason, text).ConfigureAwait(false);
                    return;
                }

                await DropDeletedHostnamesAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// A hostname the tenant deleted through the hub (on this edge or another) leaves this
    /// edge's routes at the next check: the edge that took the request dropped it at once.
    /// </summary>
    private async Task DropDeletedHostnamesAsync(CancellationToken ct)
    {
        var mine = L4.Routes.Hosts.Where(r => r.TenantId == TenantId && r.Sessions.Contains(this)).Select(r => r.Hostname).ToList();
        if (mine.Count == 0)
        {
            return;
        }

        HashSet<string> held;
        try
        {
            var entries = await _edge.Store.ListEntriesAsync(TenantId, ct).ConfigureAwait(false);
            held = [.. entries.Where(e => e.Kind == EntryKind.Hostname).Select(e => e.Key)];
        }
        catch (StoreUnavailableException)
        {
            return; // an outage must not cut working services
        }

        foreach (var hostname in mine.Where(h => !held.Contains(h)))
        {
            if (L4.Routes.RemoveHost(TenantId, hostname))
            {
                LogHostnameDropped(_logger, Id, hostname);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tenant session {SessionId}: hostname {Hostname} was deleted on the hub; no longer routed here")]
    private static partial void LogHostnameDropped(ILogger logger, string sessionId, string hostname);

    internal static (CancelReason Reason, string Message) Describe(TenantAgentStanding standing) => standing switch
    {
        TenantAgentStanding.Superseded => (CancelReason.Superseded, "this agent was superseded: a later agent of the tenant started with a different service set"),
        TenantAgentStanding.InviteInvalid => (CancelReason.TenantRemoved, "the invite this agent uses expired or was revoked"),
        _ => (CancelReason.TenantRemoved, "the tenant was removed from the hub"),
    };

    public ValueTask SendAsync(ServerMessage message, CancellationToken ct) => _control.WriteAsync(message, ct);

    private ValueTask SendErrorAsync(ulong requestId, ErrorCode code, string message, CancellationToken ct) =>
        SendAsync(new ServerMessage { Error = new Error { RequestId = requestId, Code = code, Message = message } }, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        await L4.Routes.RemoveSessionAsync(this).ConfigureAwait(false);
        await _control.DisposeAsync().ConfigureAwait(false);
        await _mux.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "tenant session {SessionId}: standing check failed, keeping the session: {Reason}")]
    private static partial void LogRecheckFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "tenant session {SessionId} of {Tenant} closed: {Reason}")]
    private static partial void LogClosedByStanding(ILogger logger, string sessionId, string tenant, string reason);
}
