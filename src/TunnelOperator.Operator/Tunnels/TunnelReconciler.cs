using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers;
using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Events;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.Apply;
using TunnelOperator.Operator.EdgeAdmin;
using TunnelOperator.Operator.EdgeNodes;
using TunnelOperator.Operator.Hosting;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>
/// Tunnel → a user and token on its edge (through the edge's admin API), a Secret with the token,
/// an agent Deployment, and a status from the edge's <c>/admin/tunnels</c>.
/// <list type="number">
/// <item>Finalizer <c>tunneloperator.io/revoke-token</c> first, so a token is never issued for an
/// object that could disappear without revoking it (<see cref="TunnelTokenRevoker"/>).</item>
/// <item>Observe: spec rules, the EdgeNode and target Service from the cache, the edge's credentials,
/// one shared snapshot of the edge (<see cref="EdgeSnapshotCache"/>).</item>
/// <item>Apply: the namespace's user if missing, a token if the Secret has none for this edge (orphans
/// named after this Tunnel are revoked first), the Secret, then the agent Deployment. An invalid
/// Tunnel has no agent.</item>
/// <item>Status: <see cref="TunnelStatusPlanner"/>, written only when it changed. Edges are not
/// watchable, so a Tunnel is looked at again after <see cref="OperatorOptions.NotReadyRequeue"/> while
/// not ready and <see cref="OperatorOptions.ReadyRequeue"/> while ready.</item>
/// </list>
/// </summary>
internal sealed partial class TunnelReconciler(OperatorContext context, TunnelTokenRevoker revoker) : IReconciler<Tunnel>
{
    private readonly ILogger _logger = context.Loggers.CreateLogger("TunnelOperator.Operator.Tunnels");
    private readonly EdgeUsers _users = new();

    public async Task<ReconcileResult> ReconcileAsync(Tunnel tunnel, CancellationToken cancellationToken)
    {
        var action = await Finalizers.EnsureAsync(context.Client, tunnel, WellKnown.RevokeTokenFinalizer, revoker.RevokeAsync, cancellationToken).ConfigureAwait(false);
        if (action != FinalizerAction.Continue)
        {
            return ReconcileResult.Done; // added: the update wakes us again; finalized or not ours: nothing left to do
        }

        var ns = tunnel.Metadata.Namespace!;
        var spec = tunnel.Spec;
        var edge = context.Cache.TryGet<EdgeNode>(new ObjectKey(ns, spec.EdgeRef.Name));
        var observed = new TunnelObservation
        {
            Violations = spec.Validate(),
            EdgeExists = edge is not null && edge.Metadata.DeletionTimestamp is null,
        };
        var agent = context.Cache.TryGet<Deployment>(new ObjectKey(ns, TunnelChildren.AgentDeployment(tunnel.Metadata.Name!)));
        var runnable = spec.Protocol is TunnelProtocol.Http or TunnelProtocol.Https && observed.Violations.Count == 0;
        if (runnable && observed.EdgeExists)
        {
            var service = spec.Target.Service is { } target ? context.Cache.TryGet<Service>(new ObjectKey(ns, target.Name)) : null;
            var resolved = TunnelTargetResolver.Resolve(tunnel, service);
            observed = resolved.Url is { } url
                ? await ConvergeAsync(tunnel, edge!, url, agent, observed, cancellationToken).ConfigureAwait(false)
                : observed with { TargetProblem = resolved.Problem };
        }

        if (!runnable || observed.TargetProblem is not null)
        {
            // Nothing for an agent to do: it goes; the token stays until the Tunnel is deleted.
            await context.Applier.DeleteOwnedAsync(agent, tunnel, cancellationToken).ConfigureAwait(false);
        }

        var status = TunnelStatusPlanner.Plan(tunnel, observed, context.Time);
        try
        {
            await StatusWriter.WriteAsync(context.Client, tunnel, tunnel with { Status = status }, new StatusWriteOptions { FieldManager = WellKnown.FieldManager }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return ReconcileResult.Done; // deleted meanwhile: nothing left to report on
        }

        var ready = Conditions.Find(status.Conditions, TunnelConditions.Ready)!;
        if (Conditions.Find(tunnel.Status?.Conditions, TunnelConditions.Ready)?.Reason != ready.Reason)
        {
            Report(tunnel, ready);
        }

        return ready.Reason switch
        {
            TunnelReasons.AgentConnected => ReconcileResult.RequeueAfter(context.Options.ReadyRequeue),
            // A change of the spec, the EdgeNode or the Service wakes these up; nothing to poll.
            TunnelReasons.UnsupportedProtocol or TunnelReasons.EdgeNotFound => ReconcileResult.Done,
            TunnelReasons.InvalidTarget when !runnable => ReconcileResult.Done,
            _ => ReconcileResult.RequeueAfter(context.Options.NotReadyRequeue),
        };
    }

    /// <summary>Credentials, user, token, Secret and agent for a valid Tunnel on an existing edge, and what the edge reports.</summary>
    private async Task<TunnelObservation> ConvergeAsync(Tunnel tunnel, EdgeNode edge, string targetUrl, Deployment? agent, TunnelObservation observed, CancellationToken cancellationToken)
    {
        var ns = tunnel.Metadata.Namespace!;
        var edgeName = edge.Metadata.Name!;
        var adminToken = EdgeNodePlanner.AdminTokenOf(await context.ReadAsync<Secret>(ns, EdgeNodeChildren.AdminTokenSecret(edgeName), cancellationToken).ConfigureAwait(false));
        var ca = (await context.ReadAsync<Secret>(ns, EdgeNodeChildren.CaSecret(edgeName), cancellationToken).ConfigureAwait(false))
            ?.Data?.GetValueOrDefault(EdgeNodeChildren.CaCertificateKey);
        if (adminToken is null || ca is not { Length: > 0 })
        {
            return observed with { EdgeProblem = $"EdgeNode {edgeName} has no admin token or CA Secret yet" };
        }

        var email = TunnelChildren.UserEmail(ns, edgeName, edge.Metadata.Namespace!);
        var admin = context.Admins.Create(EdgeNodeChildren.AdminEndpoint(edge), adminToken);
        try
        {
            var snapshot = await context.Snapshots.GetAsync(edge.Metadata.Uid!, admin, cancellationToken).ConfigureAwait(false);
            await _users.EnsureAsync(edge.Metadata.Uid!, email, snapshot, admin, cancellationToken).ConfigureAwait(false);
            var secret = await context.ReadAsync<Secret>(ns, TunnelChildren.TokenSecret(tunnel.Metadata.Name!), cancellationToken).ConfigureAwait(false);
            var token = await EnsureTokenAsync(tunnel, edge, email, secret, snapshot, admin, cancellationToken).ConfigureAwait(false);
            await context.Applier.ApplyAsync(TunnelPlanner.TokenSecret(tunnel, edge, token, ca), secret, cancellationToken).ConfigureAwait(false);
            await context.Applier.ApplyAsync(TunnelPlanner.AgentDeployment(tunnel, edge, targetUrl, token.Id, context.Options.Image), agent, cancellationToken).ConfigureAwait(false);
            return observed with
            {
                Connected = [.. snapshot.Tunnels.Where(t => t.TokenId == token.Id)],
                NameHolder = tunnel.Spec.Name is { } name
                    ? snapshot.Tunnels.FirstOrDefault(t => t.Name == name && string.Equals(t.UserEmail, email, StringComparison.OrdinalIgnoreCase) && t.TokenId != token.Id)
                    : null,
            };
        }
        catch (EdgeAdminException e) when (e.Unreachable)
        {
            LogEdgeUnreachable(_logger, ns, tunnel.Metadata.Name!, e.Message);
            return observed with { EdgeProblem = e.Message };
        }
        catch (ChildConflictException e)
        {
            return observed with { ChildProblem = e.Message };
        }
    }

    /// <summary>
    /// The Tunnel's token: the one its Secret holds for this edge, unless the edge no longer knows it
    /// (revoked by hand, or the edge lost its store); otherwise a new one, after revoking orphans of
    /// this Tunnel (a token whose Secret was never written because the operator stopped in between).
    /// </summary>
    private async Task<TunnelToken> EnsureTokenAsync(Tunnel tunnel, EdgeNode edge, string email, Secret? secret, EdgeSnapshot snapshot, IEdgeAdminClient admin, CancellationToken cancellationToken)
    {
        var kept = TunnelPlanner.TokenOf(secret, edge);
        if (kept is not null && snapshot.FetchedAt > kept.IssuedAt.AddSeconds(1) && !snapshot.HasToken(kept.Id))
        {
            context.Events.Warning(tunnel, "TokenMissing", $"edge {edge.Metadata.Name} no longer knows token {kept.Id} (revoked, or the edge lost its store): issuing a new one");
            kept = null;
        }

        if (kept is not null)
        {
            return kept;
        }

        var name = TunnelChildren.TokenName(tunnel);
        foreach (var orphan in snapshot.TokensNamed(name))
        {
            await admin.RevokeTokenAsync(orphan.Id, cancellationToken).ConfigureAwait(false);
            snapshot.Remove(orphan.Id);
            LogOrphanRevoked(_logger, tunnel.Metadata.Namespace!, tunnel.Metadata.Name!, orphan.Id);
        }

        var issued = await admin.IssueTokenAsync(email, name, cancellationToken).ConfigureAwait(false);
        snapshot.Add(new EdgeToken { Id = issued.Id, Name = issued.Name, UserEmail = issued.UserEmail });
        if (context.Options.AfterTokenIssued is { } hook)
        {
            await hook(name, cancellationToken).ConfigureAwait(false);
        }

        context.Events.Normal(tunnel, "TokenIssued", $"issued token {issued.Id} for {email} on edge {edge.Metadata.Name}; it is kept in Secret {TunnelChildren.TokenSecret(tunnel.Metadata.Name!)}");
        return new TunnelToken(issued.Id, issued.Token, context.Time.GetUtcNow());
    }

    private void Report(Tunnel tunnel, Condition ready)
    {
        LogReadyChanged(_logger, tunnel.Metadata.Namespace!, tunnel.Metadata.Name!, ready.Status, ready.Reason!);
        if (ready.Status == ConditionStatus.True || ready.Reason is TunnelReasons.AgentNotConnected or TunnelReasons.EdgeNotReady)
        {
            context.Events.Normal(tunnel, ready.Reason!, ready.Message ?? "");
        }
        else
        {
            context.Events.Warning(tunnel, ready.Reason!, ready.Message ?? "");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tunnel {Namespace}/{Name}: Ready={Status} ({Reason})")]
    private static partial void LogReadyChanged(ILogger logger, string @namespace, string name, string status, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "tunnel {Namespace}/{Name}: edge admin API unreachable: {Problem}")]
    private static partial void LogEdgeUnreachable(ILogger logger, string @namespace, string name, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "tunnel {Namespace}/{Name}: revoked orphaned token {TokenId}")]
    private static partial void LogOrphanRevoked(ILogger logger, string @namespace, string name, Guid tokenId);
}
