using System.Net;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Forwards;
using TunnelOperator.Edge.Routing;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;

namespace TunnelOperator.Edge.Sessions;

/// <summary>
/// One authenticated agent connection: its mux session, its control stream, and the tunnels
/// it has opened. Disposing the session closes its tunnels and every stream on it.
/// </summary>
public sealed partial class AgentSession : ITunnelSession, IAsyncDisposable
{
    private readonly MuxSession _mux;
    private readonly MessageChannel<ClientMessage, ServerMessage> _control;
    private readonly EdgeServices _edge;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private readonly List<ActiveTunnel> _tunnels = [];
    private AgentForwards? _forwards;
    private int _disposed;

    public AgentSession(
        MuxSession mux,
        MessageChannel<ClientMessage, ServerMessage> control,
        EdgeServices edge,
        UserRecord user,
        Guid tokenId,
        string clientVersion,
        string peerAddress)
    {
        _mux = mux;
        _control = control;
        _edge = edge;
        _logger = edge.LoggerFactory.CreateLogger<AgentSession>();
        User = user;
        TokenId = tokenId;
        ClientVersion = clientVersion;
        PeerAddress = peerAddress;
        ConnectedAt = edge.Time.GetUtcNow();
    }

    public string Id { get; } = Guid.NewGuid().ToString();
    public UserRecord User { get; }
    public Guid TokenId { get; }
    public string ClientVersion { get; }
    public string PeerAddress { get; }
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Cancelled when the session is being torn down.</summary>
    public CancellationToken Closing => _closing.Token;

    public IReadOnlyList<ActiveTunnel> Tunnels
    {
        get
        {
            lock (_gate)
            {
                return [.. _tunnels];
            }
        }
    }

    /// <summary>Opens a data stream to the agent for one public connection to <paramref name="tunnel"/>.</summary>
    public async ValueTask<Stream> OpenDataStreamAsync(ActiveTunnel tunnel, string clientAddress, CancellationToken cancellationToken) =>
        await StreamHeaders.OpenAsync(_mux, new StreamHeader { TunnelId = tunnel.Id, Kind = StreamKind.Http, ClientAddress = clientAddress }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Serves the control stream until the agent goes away, the session is closed, or the
    /// edge shuts down.
    /// </summary>
    public Task RunAsync(CancellationToken stopping) =>
        ControlLoop.RunAsync(new ControlLoopSession("session", Id, _control, _mux, _edge.Time, _closing, HandleAsync, RecheckTokenPeriodicallyAsync, _logger), stopping);

    private async ValueTask HandleAsync(ClientMessage message, CancellationToken ct)
    {
        switch (message.KindCase)
        {
            case ClientMessage.KindOneofCase.OpenTunnel:
                await OpenTunnelAsync(message.OpenTunnel, ct).ConfigureAwait(false);
                break;
            case ClientMessage.KindOneofCase.Cancel:
                await CloseTunnelsAsync(message.Cancel.TunnelId, ct).ConfigureAwait(false);
                break;
            case ClientMessage.KindOneofCase.RegisterForwardServer or ClientMessage.KindOneofCase.AttachForwardClient:
                await (_forwards ??= new AgentForwards(this, _mux, _edge)).HandleAsync(message, ct).ConfigureAwait(false);
                break;
        }
    }

    private async Task OpenTunnelAsync(OpenTunnel request, CancellationToken ct)
    {
        if (request.Protocol is not (TunnelProtocol.Unspecified or TunnelProtocol.Http))
        {
            await SendErrorAsync(request.RequestId, ErrorCode.InvalidArgument, $"protocol {request.Protocol} is not served by this edge; use http", ct).ConfigureAwait(false);
            return;
        }

        ActiveTunnel tunnel;
        RegisterResult result;
        if (string.IsNullOrEmpty(request.Name))
        {
            (tunnel, result) = await RegisterRandomAsync(request.Target, ct).ConfigureAwait(false);
        }
        else
        {
            if (!TunnelNames.TryValidateName(request.Name, out var problem))
            {
                await SendErrorAsync(request.RequestId, ErrorCode.InvalidArgument, problem, ct).ConfigureAwait(false);
                return;
            }

            var claim = await _edge.Store.ClaimNamedTunnelAsync(User.Id, request.Name, ct).ConfigureAwait(false);
            if (!claim.Ok)
            {
                var code = claim.Error switch
                {
                    StoreError.InvalidArgument => ErrorCode.InvalidArgument,
                    StoreError.Conflict or StoreError.AlreadyExists => ErrorCode.AlreadyExists,
                    StoreError.Unavailable => ErrorCode.Unavailable,
                    _ => ErrorCode.Internal,
                };
                await SendErrorAsync(request.RequestId, code, claim.Message ?? $"tunnel '{request.Name}' could not be claimed", ct).ConfigureAwait(false);
                return;
            }

            var subdomain = claim.Value!.Subdomain;
            tunnel = new ActiveTunnel(this, subdomain, request.Name, _edge.Options.PublicUrlFor(subdomain), request.Target, _edge.Options.MaxConcurrentRequestsPerTunnel);
            result = _edge.Registry.TryRegister(tunnel, request.Takeover);
            if (result.Outcome == RegisterOutcome.Conflict)
            {
                await tunnel.DisposeAsync().ConfigureAwait(false);
                var message = result.Holder?.Session.User.Id == User.Id
                    ? $"tunnel '{request.Name}' is already connected from another client"
                    : $"subdomain '{subdomain}' is held by another user's tunnel";
                await SendErrorAsync(request.RequestId, ErrorCode.AlreadyExists, message, ct).ConfigureAwait(false);
                return;
            }
        }

        lock (_gate)
        {
            _tunnels.Add(tunnel);
        }

        if (result.Evicted is { } evicted)
        {
            LogTakeover(_logger, tunnel.Subdomain, evicted.Session.Id, Id);
            await evicted.Session.EvictAsync(evicted, CancelReason.TakenOver, $"tunnel '{tunnel.Name}' was taken over by another client", CancellationToken.None).ConfigureAwait(false);
        }

        _edge.Metrics.TunnelConnected();
        LogTunnelOpened(_logger, tunnel.Subdomain, User.Email, PeerAddress);
        await SendAsync(new ServerMessage
        {
            Opened = new TunnelOpened { RequestId = request.RequestId, TunnelId = tunnel.Id, PublicUrl = tunnel.PublicUrl, Subdomain = tunnel.Subdomain },
        }, ct).ConfigureAwait(false);
    }

    private async Task<(ActiveTunnel, RegisterResult)> RegisterRandomAsync(string target, CancellationToken ct)
    {
        while (true)
        {
            var subdomain = _edge.RandomSubdomain();
            if (await HeldByNamedTunnelAsync(subdomain, ct).ConfigureAwait(false))
            {
                continue;
            }

            var tunnel = new ActiveTunnel(this, subdomain, null, _edge.Options.PublicUrlFor(subdomain), target, _edge.Options.MaxConcurrentRequestsPerTunnel);
            var result = _edge.Registry.TryRegister(tunnel, takeover: false);
            if (result.Outcome == RegisterOutcome.Registered)
            {
                return (tunnel, result);
            }
        }
    }

    // A named tunnel's subdomain (<name>-<slug>) can have the random shape when the slug does
    // (a user "bear-1234"); it stays its owner's while the owner is offline, so a random draw
    // must skip it. Random tunnels need no database: when it is down the draw goes ahead, and
    // the owner, if one appears, is told the name is held.
    private async Task<bool> HeldByNamedTunnelAsync(string subdomain, CancellationToken ct)
    {
        try
        {
            return await _edge.Store.IsSubdomainTakenAsync(subdomain, ct).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Removes one of this session's tunnels because something else claimed or revoked it.</summary>
    public async Task EvictAsync(ActiveTunnel tunnel, CancelReason reason, string message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _tunnels.Remove(tunnel);
        }

        await tunnel.DisposeAsync().ConfigureAwait(false);
        await TrySendAsync(new ServerMessage { Cancel = new Cancel { TunnelId = tunnel.Id, Reason = reason, Message = message } }, cancellationToken).ConfigureAwait(false);
        bool empty;
        lock (_gate)
        {
            empty = _tunnels.Count == 0;
        }

        if (empty)
        {
            // An agent of `tunnelctl tunnel` serves one tunnel; with none left it should
            // reconnect and retry, which closing the session tells it to do.
            await _closing.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Tells the agent why the session ends, then closes it.</summary>
    public async Task CloseAsync(CancelReason reason, string message)
    {
        await TrySendAsync(new ServerMessage { Cancel = new Cancel { Reason = reason, Message = message } }, CancellationToken.None).ConfigureAwait(false);
        if (reason == CancelReason.Shutdown)
        {
            await _mux.GoAwayAsync(MuxGoAwayCode.Normal, CancellationToken.None).ConfigureAwait(false);
        }

        await _closing.CancelAsync().ConfigureAwait(false);
    }

    private async Task CloseTunnelsAsync(string tunnelId, CancellationToken ct)
    {
        foreach (var tunnel in Tunnels)
        {
            if (tunnelId.Length == 0 || tunnel.Id == tunnelId)
            {
                _edge.Registry.Remove(tunnel);
                lock (_gate)
                {
                    _tunnels.Remove(tunnel);
                }

                await tunnel.DisposeAsync().ConfigureAwait(false);
            }
        }

        await Task.CompletedTask.WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task RecheckTokenPeriodicallyAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_edge.Options.TokenRecheckInterval, _edge.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                bool exists;
                try
                {
                    exists = await _edge.Store.TokenExistsAsync(TokenId, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A store outage must not disconnect working tunnels; try again next tick.
                    LogRecheckFailed(_logger, Id, e.Message);
                    continue;
                }

                if (!exists)
                {
                    LogTokenRevoked(_logger, Id, User.Email);
                    await TrySendAsync(new ServerMessage { Error = new Error { Code = ErrorCode.PermissionDenied, Message = "invalid token: it was revoked" } }, ct).ConfigureAwait(false);
                    await CloseAsync(CancelReason.TokenRevoked, "the token of this session was revoked").ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ValueTask SendAsync(ServerMessage message, CancellationToken ct) => _control.WriteAsync(message, ct);

    private async Task TrySendAsync(ServerMessage message, CancellationToken ct)
    {
        try
        {
            await _control.WriteAsync(message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The agent is already gone; nothing to tell it.
        }
    }

    private ValueTask SendErrorAsync(ulong requestId, ErrorCode code, string message, CancellationToken ct) =>
        SendAsync(new ServerMessage { Error = new Error { RequestId = requestId, Code = code, Message = message } }, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        foreach (var tunnel in Tunnels)
        {
            _edge.Registry.Remove(tunnel);
            await tunnel.DisposeAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            _tunnels.Clear();
        }

        if (_forwards is not null)
        {
            await _forwards.DisposeAsync().ConfigureAwait(false);
        }

        await _control.DisposeAsync().ConfigureAwait(false);
        await _mux.DisposeAsync().ConfigureAwait(false);
        // _closing is deliberately not disposed: shutdown, revocation and takeover may still
        // call CloseAsync/EvictAsync on a session that just ended, and cancelling an
        // already-cancelled source is harmless while using a disposed one throws.
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tunnel {Subdomain} opened for {Email} from {Peer}")]
    private static partial void LogTunnelOpened(ILogger logger, string subdomain, string email, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "tunnel {Subdomain} taken over: session {OldSession} evicted by {NewSession}")]
    private static partial void LogTakeover(ILogger logger, string subdomain, string oldSession, string newSession);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId}: token check failed, keeping the session: {Reason}")]
    private static partial void LogRecheckFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId} of {Email} closed: its token was revoked")]
    private static partial void LogTokenRevoked(ILogger logger, string sessionId, string email);
}
