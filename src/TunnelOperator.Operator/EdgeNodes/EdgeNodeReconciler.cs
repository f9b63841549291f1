using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers;
using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Events;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.Apply;
using TunnelOperator.Operator.EdgeAdmin;
using TunnelOperator.Operator.Hosting;

namespace TunnelOperator.Operator.EdgeNodes;

/// <summary>
/// EdgeNode → admin token and CA Secrets (generated once, then kept), the edge Deployment, its public
/// and admin Services, and a status from the Deployment and from the live edge's <c>/readyz</c>.
/// <list type="number">
/// <item>Observe: children from the cache (Secrets from the API on a cache miss, so a credential is
/// never generated twice).</item>
/// <item>Plan: <see cref="EdgeNodePlanner"/> (pure). A spec the operator refuses (several replicas
/// on SQLite, acme) leaves the running Deployment as it was.</item>
/// <item>Apply: <see cref="ChildApplier"/>, credentials before the Deployment that reads them.</item>
/// <item>Status: <see cref="EdgeNodeStatusPlanner"/>, written only when it changed; an Event when Ready's reason changes.</item>
/// </list>
/// Deletion needs no finalizer: the children carry owner references and the garbage collector
/// removes them; the edge's users and tokens end with its store.
/// </summary>
internal sealed partial class EdgeNodeReconciler(OperatorContext context) : IReconciler<EdgeNode>
{
    private readonly ILogger _logger = context.Loggers.CreateLogger("TunnelOperator.Operator.EdgeNodes");

    public async Task<ReconcileResult> ReconcileAsync(EdgeNode edge, CancellationToken cancellationToken)
    {
        if (edge.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var ns = edge.Metadata.Namespace!;
        var name = edge.Metadata.Name!;
        var adminSecret = await context.ReadAsync<Secret>(ns, EdgeNodeChildren.AdminTokenSecret(name), cancellationToken).ConfigureAwait(false);
        var caSecret = await context.ReadAsync<Secret>(ns, EdgeNodeChildren.CaSecret(name), cancellationToken).ConfigureAwait(false);
        var deployment = context.Cache.TryGet<Deployment>(new ObjectKey(ns, EdgeNodeChildren.Deployment(name)));
        var publicService = context.Cache.TryGet<Service>(new ObjectKey(ns, EdgeNodeChildren.PublicService(name)));
        var adminService = context.Cache.TryGet<Service>(new ObjectKey(ns, EdgeNodeChildren.AdminService(name)));
        var refusal = EdgeNodePlanner.Refusal(edge.Spec);

        var token = EdgeNodePlanner.AdminTokenOf(adminSecret);
        try
        {
            if (token is null)
            {
                token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                context.Events.Normal(edge, "AdminTokenGenerated", $"generated the admin token into Secret {EdgeNodeChildren.AdminTokenSecret(name)}");
            }

            await context.Applier.ApplyAsync(EdgeNodePlanner.AdminTokenSecret(edge, token), adminSecret, cancellationToken).ConfigureAwait(false);
            var ca = EdgeCaMaterial.From(caSecret?.Data);
            if (ca is null)
            {
                ca = EdgeCaMaterial.Generate(ns, name, context.Time);
                context.Events.Normal(edge, "CertificateAuthorityGenerated", $"generated the edge's CA into Secret {EdgeNodeChildren.CaSecret(name)}");
            }

            await context.Applier.ApplyAsync(EdgeNodePlanner.CaSecret(edge, ca), caSecret, cancellationToken).ConfigureAwait(false);
            if (refusal is null)
            {
                deployment = await context.Applier.ApplyAsync(EdgeNodePlanner.Deployment(edge, context.Options.Image), deployment, cancellationToken).ConfigureAwait(false);
                publicService = await context.Applier.ApplyAsync(EdgeNodePlanner.PublicService(edge), publicService, cancellationToken).ConfigureAwait(false);
                await context.Applier.ApplyAsync(EdgeNodePlanner.AdminService(edge), adminService, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChildConflictException e)
        {
            refusal = (EdgeNodeReasons.ChildConflict, e.Message);
        }

        var observation = new EdgeNodeObservation { Refusal = refusal, Deployment = deployment, PublicService = publicService };
        if (refusal is null && token is not null && (deployment?.Status?.ReadyReplicas ?? 0) > 0)
        {
            observation = await ProbeAsync(edge, token, observation, cancellationToken).ConfigureAwait(false);
        }

        var status = EdgeNodeStatusPlanner.Plan(edge, observation, context.Time);
        try
        {
            await StatusWriter.WriteAsync(context.Client, edge, edge with { Status = status }, new StatusWriteOptions { FieldManager = WellKnown.FieldManager }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return ReconcileResult.Done; // deleted meanwhile: nothing left to report on
        }

        var before = Conditions.Find(edge.Status?.Conditions, EdgeNodeConditions.Ready);
        var after = Conditions.Find(status.Conditions, EdgeNodeConditions.Ready)!;
        if (before?.Reason != after.Reason)
        {
            Report(edge, after);
        }

        return ReconcileResult.RequeueAfter(after.Status == ConditionStatus.True ? context.Options.ReadyRequeue : context.Options.NotReadyRequeue);
    }

    private async Task<EdgeNodeObservation> ProbeAsync(EdgeNode edge, string token, EdgeNodeObservation observation, CancellationToken cancellationToken)
    {
        var endpoint = EdgeNodeChildren.AdminEndpoint(edge);
        try
        {
            var ready = await context.Admins.Create(endpoint, token).IsReadyAsync(cancellationToken).ConfigureAwait(false);
            return observation with { EdgeReady = ready, EdgeProblem = ready ? null : $"{endpoint}readyz fails: the edge's store is unavailable" };
        }
        catch (EdgeAdminException e)
        {
            LogEdgeUnreachable(_logger, edge.Metadata.Namespace!, edge.Metadata.Name!, e.Message);
            return observation with { EdgeReady = false, EdgeProblem = e.Message };
        }
    }

    private void Report(EdgeNode edge, Kubernetes.Models.Condition ready)
    {
        LogReadyChanged(_logger, edge.Metadata.Namespace!, edge.Metadata.Name!, ready.Status, ready.Reason!);
        if (ready.Status == ConditionStatus.True || ready.Reason is EdgeNodeReasons.DeploymentNotReady or EdgeNodeReasons.ScaledToZero)
        {
            context.Events.Normal(edge, ready.Reason!, ready.Message ?? "");
        }
        else
        {
            context.Events.Warning(edge, ready.Reason!, ready.Message ?? "");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "edge {Namespace}/{Name}: Ready={Status} ({Reason})")]
    private static partial void LogReadyChanged(ILogger logger, string @namespace, string name, string status, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "edge {Namespace}/{Name}: admin API unreachable: {Problem}")]
    private static partial void LogEdgeUnreachable(ILogger logger, string @namespace, string name, string problem);
}
