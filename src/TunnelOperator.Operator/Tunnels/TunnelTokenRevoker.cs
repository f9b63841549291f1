using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers;
using TunnelOperator.Controllers.Events;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.EdgeAdmin;
using TunnelOperator.Operator.EdgeNodes;
using TunnelOperator.Operator.Hosting;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>
/// The cleanup of the <c>tunneloperator.io/revoke-token</c> finalizer: revoke every token of the
/// Tunnel on its edge (the one its Secret names and any orphan named after it), idempotently.
/// <list type="bullet">
/// <item>The edge answers: revoke (a token it no longer knows counts as revoked) → the finalizer goes,
/// the garbage collector removes the agent and the Secret.</item>
/// <item>The edge does not answer: throw, so the controller retries with backoff (capped, see
/// <see cref="OperatorHost"/>); the agents keep running meanwhile.</item>
/// <item>The EdgeNode is gone or being deleted: its store, and every token in it, goes with it, so
/// there is nothing to revoke and the finalizer goes at once. Deleting the EdgeNode wakes its Tunnels,
/// so a Tunnel waiting on an unreachable edge never stays stuck.</item>
/// </list>
/// </summary>
internal sealed partial class TunnelTokenRevoker(OperatorContext context)
{
    private readonly ILogger _logger = context.Loggers.CreateLogger("TunnelOperator.Operator.Tunnels");

    public async Task RevokeAsync(Tunnel tunnel, CancellationToken cancellationToken)
    {
        var ns = tunnel.Metadata.Namespace!;
        var edgeName = tunnel.Spec.EdgeRef.Name;
        var edge = context.Cache.TryGet<EdgeNode>(new ObjectKey(ns, edgeName));
        if (edge is null || edge.Metadata.DeletionTimestamp is not null)
        {
            LogEdgeGone(_logger, ns, tunnel.Metadata.Name!, edgeName);
            return;
        }

        var adminToken = EdgeNodePlanner.AdminTokenOf(await context.ReadAsync<Secret>(ns, EdgeNodeChildren.AdminTokenSecret(edgeName), cancellationToken).ConfigureAwait(false))
            ?? throw new EdgeAdminException($"EdgeNode {edgeName} has no admin token Secret: cannot revoke the token of tunnel {tunnel.Metadata.Name} yet", null);
        var secret = await context.ReadAsync<Secret>(ns, TunnelChildren.TokenSecret(tunnel.Metadata.Name!), cancellationToken).ConfigureAwait(false);
        var admin = context.Admins.Create(EdgeNodeChildren.AdminEndpoint(edge), adminToken);
        var name = TunnelChildren.TokenName(tunnel);
        var ids = (await admin.ListTokensAsync(cancellationToken).ConfigureAwait(false))
            .Where(t => t.Name == name)
            .Select(t => t.Id)
            .ToHashSet();
        if (TunnelPlanner.TokenOf(secret, edge) is { } kept)
        {
            ids.Add(kept.Id);
        }

        foreach (var id in ids)
        {
            var revoked = await admin.RevokeTokenAsync(id, cancellationToken).ConfigureAwait(false);
            LogRevoked(_logger, ns, tunnel.Metadata.Name!, id, revoked);
        }

        if (ids.Count > 0)
        {
            context.Events.Normal(tunnel, "TokenRevoked", $"revoked {ids.Count} token(s) of this tunnel on edge {edgeName}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tunnel {Namespace}/{Name}: EdgeNode {Edge} is gone; its tokens went with its store")]
    private static partial void LogEdgeGone(ILogger logger, string @namespace, string name, string edge);

    [LoggerMessage(Level = LogLevel.Information, Message = "tunnel {Namespace}/{Name}: token {TokenId} revoked (known to the edge: {Known})")]
    private static partial void LogRevoked(ILogger logger, string @namespace, string name, Guid tokenId, bool known);
}
