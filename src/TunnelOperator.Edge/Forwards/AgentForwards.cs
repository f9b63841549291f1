using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Sessions;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Forwards;

/// <summary>
/// The port-forwarding side of one agent session. A session becomes a forward server by
/// registering IDs (the edge then opens forward streams to it), a forward client by attaching
/// (the edge then accepts the streams it opens and relays each to a server). Disposing it
/// unregisters the IDs and aborts the relays it runs; the session owns its lifetime.
/// </summary>
internal sealed partial class AgentForwards : IForwardServerSession, IAsyncDisposable
{
    private readonly AgentSession _session;
    private readonly MuxSession _mux;
    private readonly EdgeServices _edge;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private readonly List<string> _serverIds = [];
    private Task? _acceptLoop;
    private int _disposed;

    public AgentForwards(AgentSession session, MuxSession mux, EdgeServices edge)
    {
        _session = session;
        _mux = mux;
        _edge = edge;
        _logger = edge.LoggerFactory.CreateLogger<AgentForwards>();
    }

    public string SessionId => _session.Id;

    public string PeerAddress => _session.PeerAddress;

    public string UserEmail => _session.User.Email;

    /// <summary>Serves one port-forwarding control message of the session.</summary>
    public ValueTask HandleAsync(ClientMessage message, CancellationToken cancellationToken) => message.KindCase switch
    {
        ClientMessage.KindOneofCase.RegisterForwardServer => RegisterAsync(message.RegisterForwardServer, cancellationToken),
        ClientMessage.KindOneofCase.AttachForwardClient => AttachAsync(message.AttachForwardClient, cancellationToken),
        _ => ValueTask.CompletedTask,
    };

    private async ValueTask RegisterAsync(RegisterForwardServer request, CancellationToken ct)
    {
        if (!ForwardServerNames.TryValidateName(request.Name, out var problem))
        {
            await SendErrorAsync(request.RequestId, ErrorCode.InvalidArgument, problem, ct).ConfigureAwait(false);
            return;
        }

        var serverId = ForwardServerNames.Compose(request.Name, _session.User.Slug);
        lock (_gate)
        {
            if (!_serverIds.Contains(serverId) && _serverIds.Count >= ForwardLimits.MaxServerIdsPerSession)
            {
                problem = $"a session may serve at most {ForwardLimits.MaxServerIdsPerSession} forward server IDs";
            }
            else if (!_edge.Forwards.TryRegister(serverId, _session.User.Id, this))
            {
                problem = $"forward server ID '{serverId}' belongs to another user";
            }
            else if (!_serverIds.Contains(serverId))
            {
                _serverIds.Add(serverId);
            }
        }

        if (problem.Length > 0)
        {
            await SendErrorAsync(request.RequestId, ErrorCode.AlreadyExists, problem, ct).ConfigureAwait(false);
            return;
        }

        LogServerRegistered(_logger, serverId, _session.User.Email, _session.PeerAddress);
        await _session.SendAsync(new ServerMessage
        {
            ForwardServerRegistered = new ForwardServerRegistered { RequestId = request.RequestId, ServerId = serverId },
        }, ct).ConfigureAwait(false);
    }

    private async ValueTask AttachAsync(AttachForwardClient request, CancellationToken ct)
    {
        lock (_gate)
        {
            _acceptLoop ??= AcceptForwardStreamsAsync(_closing.Token);
        }

        var found = _edge.Forwards.Find(request.ServerId);
        await _session.SendAsync(new ServerMessage
        {
            ForwardClientAttached = new ForwardClientAttached
            {
                RequestId = request.RequestId,
                ServerId = request.ServerId,
                ServerState = found.State switch
                {
                    ForwardServerLookup.Online => ForwardServerState.Online,
                    ForwardServerLookup.Offline => ForwardServerState.Offline,
                    _ => ForwardServerState.Unknown,
                },
                LastSeenUnixMs = found.LastSeen?.ToUnixTimeMilliseconds() ?? 0,
            },
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Opens a forward stream to this (server) session for a client of <paramref name="from"/>.</summary>
    public async ValueTask<MuxStream> OpenForwardStreamAsync(string serverId, AgentForwards from, CancellationToken cancellationToken)
    {
        var stream = await _mux.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StreamHeaders.WriteAsync(stream, new StreamHeader
            {
                TunnelId = serverId,
                Kind = StreamKind.Forward,
                ClientAddress = from.PeerAddress,
                ForwardUser = from.UserEmail,
            }, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            stream.Abort();
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Agents open no streams of their own except the control stream, until they attach as a
    // forward client; from then on every stream they open is a forward stream.
    private async Task AcceptForwardStreamsAsync(CancellationToken ct)
    {
        var relay = new ForwardRelay(_edge, _logger);
        var inflight = new List<Task>();
        var active = 0;
        try
        {
            while (await _mux.AcceptStreamAsync(ct).ConfigureAwait(false) is { } stream)
            {
                inflight.RemoveAll(t => t.IsCompleted);
                if (Interlocked.Increment(ref active) > ForwardLimits.MaxStreamsPerClientSession)
                {
                    Interlocked.Decrement(ref active);
                    inflight.Add(relay.RefuseAsync(stream, ForwardStatus.LimitReached,
                        $"this client already has {ForwardLimits.MaxStreamsPerClientSession} forward streams open on the edge; close some connections", ct));
                    continue;
                }

                inflight.Add(RelayOneAsync(relay, stream, () => Interlocked.Decrement(ref active), ct));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(inflight).ConfigureAwait(false);
    }

    private async Task RelayOneAsync(ForwardRelay relay, MuxStream stream, Action done, CancellationToken ct)
    {
        try
        {
            await relay.RunAsync(stream, this, ct).ConfigureAwait(false);
        }
        finally
        {
            done();
        }
    }

    private ValueTask SendErrorAsync(ulong requestId, ErrorCode code, string message, CancellationToken ct) =>
        _session.SendAsync(new ServerMessage { Error = new Error { RequestId = requestId, Code = code, Message = message } }, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        string[] serverIds;
        Task? acceptLoop;
        lock (_gate)
        {
            serverIds = [.. _serverIds];
            _serverIds.Clear();
            acceptLoop = _acceptLoop;
        }

        var now = _edge.Time.GetUtcNow();
        foreach (var serverId in serverIds)
        {
            _edge.Forwards.Unregister(serverId, this, now);
            LogServerUnregistered(_logger, serverId, _session.Id);
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }

        _closing.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "forward server {ServerId} registered by {Email} from {Peer}")]
    private static partial void LogServerRegistered(ILogger logger, string serverId, string email, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "forward server {ServerId} left with session {SessionId}")]
    private static partial void LogServerUnregistered(ILogger logger, string serverId, string sessionId);
}
