using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Edge.Tenants;

public sealed partial class TenantSession
{
    /// <summary>Most services one agent may declare.</summary>
    public const int MaxServices = 256;

    /// <summary>
    /// Handles the agent's one SyncServices:
    /// <list type="number">
    /// <item>check each declaration's shape (a TLS service needs a hostname, TCP/UDP a port);</item>
    /// <item>reconcile with the hub (<see cref="TunnelStore.SyncAgentAsync"/>), which decides per
    ///   claim and revokes stale agents of the tenant; a superseded agent is told to stop;</item>
    /// <item>make the accepted services live routes on this edge (a port that cannot be opened
    ///   here is refused with the reason);</item>
    /// <item>answer ServicesSynced with one status per declaration, then close this edge's
    ///   sessions of the agents the hub revoked.</item>
    /// </list>
    /// </summary>
    private async Task SyncAsync(SyncServices request, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _synced, 1) != 0)
        {
            await SendErrorAsync(request.RequestId, ErrorCode.FailedPrecondition, "services were already declared on this session; restart the agent to change them", ct).ConfigureAwait(false);
            return;
        }

        if (!Guid.TryParse(request.AgentId, out var agentId))
        {
            await SendErrorAsync(request.RequestId, ErrorCode.InvalidArgument, "SyncServices needs an agent_id (a UUID chosen at agent start)", ct).ConfigureAwait(false);
            return;
        }

        if (request.Services.Count > MaxServices)
        {
            await SendErrorAsync(request.RequestId, ErrorCode.ResourceExhausted, $"an agent may declare at most {MaxServices} services; it declared {request.Services.Count}", ct).ConfigureAwait(false);
            return;
        }

        var checkedDeclarations = request.Services.Select(Check).ToList();
        var claims = checkedDeclarations.Where(c => c.Claim is not null).Select(c => c.Claim!).ToList();
        var synced = await _edge.Store.SyncAgentAsync(TenantId, agentId, ConfigHash(request.Services), claims, _edge.Options.L4.AllowPrivilegedPorts, ct).ConfigureAwait(false);
        if (!synced.Ok)
        {
            var code = synced.Error switch
            {
                StoreError.Unavailable => ErrorCode.Unavailable,
                StoreError.NotFound => ErrorCode.PermissionDenied,
                _ => ErrorCode.Internal,
            };
            await SendErrorAsync(request.RequestId, code, synced.Message, ct).ConfigureAwait(false);
            if (code == ErrorCode.PermissionDenied)
            {
                await _closing.CancelAsync().ConfigureAwait(false);
            }

            return;
        }

        if (synced.Value.Superseded)
        {
            var (_, text) = Describe(TenantAgentStanding.Superseded);
            await SendErrorAsync(request.RequestId, ErrorCode.FailedPrecondition, text, ct).ConfigureAwait(false);
            await CloseAsync(CancelReason.Superseded, text).ConfigureAwait(false);
            return;
        }

        AgentId = agentId;
        var answer = new ServicesSynced { RequestId = request.RequestId, TenantId = TenantId.ToString("N"), TenantName = TenantName };
        var outcomes = synced.Value.Outcomes;
        var next = 0;
        foreach (var (declaration, claim, problem) in checkedDeclarations)
        {
            var status = claim is null
                ? Refused(declaration, ErrorCode.InvalidArgument, problem!)
                : await GoLiveAsync(declaration, outcomes[next++], ct).ConfigureAwait(false);
            answer.Services.Add(status);
        }

        Services = [.. answer.Services.Where(s => s.Accepted)];
        await SendAsync(new ServerMessage { ServicesSynced = answer }, ct).ConfigureAwait(false);
        LogSynced(_logger, Id, TenantName, agentId, Services.Count, answer.Services.Count - Services.Count);

        foreach (var revoked in synced.Value.RevokedAgents)
        {
            foreach (var stale in L4.Sessions.Snapshot().Where(s => s.AgentId == revoked))
            {
                var (reason, text) = Describe(TenantAgentStanding.Superseded);
                await stale.CloseAsync(reason, text).ConfigureAwait(false);
            }
        }
    }

    private async Task<ServiceStatus> GoLiveAsync(ServiceDeclaration declaration, ClaimOutcome outcome, CancellationToken ct)
    {
        var claim = outcome.Claim;
        if (!outcome.Accepted)
        {
            var code = outcome.Verdict switch
            {
                ClaimVerdict.NotAllowed => ErrorCode.PermissionDenied,
                ClaimVerdict.Taken or ClaimVerdict.Duplicate => ErrorCode.AlreadyExists,
                _ => ErrorCode.InvalidArgument,
            };
            return Refused(declaration, code, outcome.Reason ?? outcome.Verdict.ToString());
        }

        RouteResult result;
        if (claim.Kind == EntryKind.Hostname)
        {
            var mode = declaration.TlsMode == TlsMode.Terminate ? TlsMode.Terminate : TlsMode.Passthrough;
            result = L4.Routes.AddHost(this, claim.Hostname, claim.Service, mode);
        }
        else
        {
            var protocol = claim.Kind == EntryKind.Udp ? ServiceProtocol.Udp : ServiceProtocol.Tcp;
            result = await L4.Routes.AddPortAsync(this, protocol, claim.Port, claim.Service, ct).ConfigureAwait(false);
        }

        if (result.Verdict != RouteVerdict.Added)
        {
            return Refused(declaration, result.Verdict == RouteVerdict.PortUnavailable ? ErrorCode.Unavailable : ErrorCode.AlreadyExists, result.Reason!);
        }

        return new ServiceStatus { Name = claim.Service, Accepted = true, PublicAddress = PublicAddress(claim) };
    }

    private string PublicAddress(ServiceClaim claim)
    {
        var port = _edge.Options.PublicPort ?? _edge.Options.HttpsEndPoint?.Port ?? 443;
        return claim.Kind switch
        {
            EntryKind.Hostname => port == 443 ? $"https://{claim.Hostname}" : $"https://{claim.Hostname}:{port}",
            EntryKind.Tcp => $"tcp://{_edge.Options.BaseHost}:{claim.Port}",
            _ => $"udp://{_edge.Options.BaseHost}:{claim.Port}",
        };
    }

    private static ServiceStatus Refused(ServiceDeclaration declaration, ErrorCode code, string reason) => new()
    {
        Name = NameOf(declaration),
        Accepted = false,
        Code = code,
        Reason = reason,
    };

    private (ServiceDeclaration Declaration, ServiceClaim? Claim, string? Problem) Check(ServiceDeclaration declaration)
    {
        switch (declaration.Protocol)
        {
            case ServiceProtocol.Tls:
                if (string.IsNullOrWhiteSpace(declaration.Hostname))
                {
                    return (declaration, null, $"service '{NameOf(declaration)}' needs a hostname");
                }

                return _edge.Options.IsEdgeName(declaration.Hostname)
                    ? (declaration, null, EdgeNameRefusal(declaration.Hostname, _edge.Options.BaseHost))
                    : (declaration, new ServiceClaim(NameOf(declaration), EntryKind.Hostname, declaration.Hostname, 0), null);
            case ServiceProtocol.Tcp or ServiceProtocol.Udp:
                if (declaration.ListenPort is < 1 or > 65535)
                {
                    return (declaration, null, $"service '{NameOf(declaration)}' needs a listen_port between 1 and 65535");
                }

                var kind = declaration.Protocol == ServiceProtocol.Udp ? EntryKind.Udp : EntryKind.Tcp;
                return (declaration, new ServiceClaim(NameOf(declaration), kind, string.Empty, (int)declaration.ListenPort), null);
            default:
                return (declaration, null, $"service '{NameOf(declaration)}' has protocol {declaration.Protocol}, which this edge does not serve");
        }
    }

    /// <summary>Why a tenant may not claim one of the edge's own names.</summary>
    internal static string EdgeNameRefusal(string hostname, string baseHost) =>
        $"hostname '{hostname}' belongs to the edge itself: {baseHost}, localhost and the names under them are its HTTP tunnels'; claim a name outside them";

    private static string NameOf(ServiceDeclaration declaration) => declaration.Name.Length > 0
        ? declaration.Name
        : declaration.Protocol switch
        {
            ServiceProtocol.Tls => declaration.Hostname.Trim().TrimEnd('.').ToLowerInvariant(),
            ServiceProtocol.Udp => $"udp-{declaration.ListenPort.ToString(CultureInfo.InvariantCulture)}",
            _ => $"tcp-{declaration.ListenPort.ToString(CultureInfo.InvariantCulture)}",
        };

    /// <summary>
    /// A digest of the declaration, order-independent: agents with equal digests are replicas
    /// of one configuration and share the load; a new digest at an agent's start supersedes
    /// the others.
    /// </summary>
    internal static string ConfigHash(IEnumerable<ServiceDeclaration> services)
    {
        var lines = services
            .Select(s => string.Join('|', s.Protocol, NameOf(s), s.Hostname.Trim().ToLowerInvariant(), s.ListenPort, s.TlsMode, s.Origin, s.ProxyProtocolV2, s.OriginServerName))
            .Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))))[..32];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tenant session {SessionId} of {Tenant} (agent {AgentId}): {Accepted} services live, {Refused} refused")]
    private static partial void LogSynced(ILogger logger, string sessionId, string tenant, Guid agentId, int accepted, int refused);
}
