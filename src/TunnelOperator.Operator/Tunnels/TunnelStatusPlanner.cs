using TunnelOperator.Controllers;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>
/// A Tunnel's status from what was observed (pure). The first of these that holds decides Ready's reason:
/// <list type="number">
/// <item><c>UnsupportedProtocol</c>: tls-passthrough, tcp and udp are not served by Tunnels yet.</item>
/// <item><c>InvalidTarget</c>: the spec breaks a rule.</item>
/// <item><c>EdgeNotFound</c>: no such EdgeNode, or it is being deleted.</item>
/// <item><c>InvalidTarget</c>: the Service or its port does not exist; <c>ChildConflict</c>: a child is someone else's.</item>
/// <item><c>EdgeNotReady</c>: the edge has no credentials yet or its admin API does not answer.</item>
/// <item><c>AgentConnected</c> (Ready=True): an agent holds the tunnel with this Tunnel's token.</item>
/// <item><c>NameConflict</c>: another client holds the name.</item>
/// <item><c>AgentNotConnected</c>: otherwise.</item>
/// </list>
/// </summary>
internal static class TunnelStatusPlanner
{
    public static TunnelStatus Plan(Tunnel tunnel, TunnelObservation observed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        ArgumentNullException.ThrowIfNull(observed);
        var spec = tunnel.Spec;
        var edge = spec.EdgeRef.Name;
        var (ready, reason, message) = Decide(tunnel, observed);
        var generation = tunnel.Metadata.Generation;
        var connected = observed.Connected.OrderBy(t => t.Subdomain, StringComparer.Ordinal).ToList();
        var conditions = Conditions.Set(tunnel.Status?.Conditions, TunnelConditions.Ready, ConditionStatus.From(ready), reason, message, generation, time);
        conditions = connected.Count > 0
            ? Conditions.Set(conditions, TunnelConditions.Connected, ConditionStatus.True, TunnelReasons.AgentConnected,
                connected.Count == 1 ? $"an agent holds {connected[0].Subdomain}" : $"{connected.Count} agents hold {string.Join(", ", connected.Select(c => c.Subdomain).Distinct())}", generation, time)
            : Conditions.Set(conditions, TunnelConditions.Connected, ConditionStatus.False, ready ? TunnelReasons.AgentNotConnected : reason, message, generation, time);
        var edgeObserved = observed.EdgeExists && observed.EdgeProblem is null && observed.TargetProblem is null && observed.ChildProblem is null;
        return new TunnelStatus
        {
            PublicUrl = connected.FirstOrDefault()?.PublicUrl,
            Subdomain = connected.FirstOrDefault()?.Subdomain,
            Edge = edge,
            ConnectedAgents = edgeObserved ? connected.Count : null,
            Conditions = conditions,
            ObservedGeneration = generation,
        };
    }

    private static (bool Ready, string Reason, string Message) Decide(Tunnel tunnel, TunnelObservation observed)
    {
        var spec = tunnel.Spec;
        var edge = spec.EdgeRef.Name;
        if (spec.Protocol is not (TunnelProtocol.Http or TunnelProtocol.Https))
        {
            return (false, TunnelReasons.UnsupportedProtocol,
                $"protocol {TunnelTargetResolver.Protocol(spec.Protocol)} is not served by Tunnels yet: only http and https are; tls-passthrough, tcp and udp come with tenant invites (TenantInvite)");
        }

        if (observed.Violations.Count > 0)
        {
            return (false, TunnelReasons.InvalidTarget, string.Join("; ", observed.Violations.Select(v => $"{v.Field}: {v.Message}")));
        }

        if (!observed.EdgeExists)
        {
            return (false, TunnelReasons.EdgeNotFound, $"EdgeNode {tunnel.Metadata.Namespace}/{edge} does not exist");
        }

        if (observed.TargetProblem is { } target)
        {
            return (false, TunnelReasons.InvalidTarget, target);
        }

        if (observed.ChildProblem is { } child)
        {
            return (false, TunnelReasons.ChildConflict, child);
        }

        if (observed.EdgeProblem is { } problem)
        {
            return (false, TunnelReasons.EdgeNotReady, problem);
        }

        if (observed.Connected.Count > 0)
        {
            var first = observed.Connected.OrderBy(t => t.Subdomain, StringComparer.Ordinal).First();
            return (true, TunnelReasons.AgentConnected, $"serving {first.PublicUrl}");
        }

        if (observed.NameHolder is { } holder)
        {
            return (false, TunnelReasons.NameConflict,
                $"{holder.Subdomain} is live on edge {edge} from another client (target {holder.Target ?? "unknown"}): give this Tunnel another spec.name, or set spec.takeover to take it over");
        }

        return (false, TunnelReasons.AgentNotConnected, spec.Agent.Replicas == 0
            ? "spec.agent.replicas is 0: no agent runs"
            : $"no agent of this Tunnel holds a session with edge {edge} yet; see its pods: kubectl logs deploy/{TunnelChildren.AgentDeployment(tunnel.Metadata.Name!)}");
    }
}
