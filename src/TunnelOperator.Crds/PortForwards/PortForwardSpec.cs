using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.PortForwards;

/// <summary>The desired state of a <see cref="PortForward"/>.</summary>
public sealed record PortForwardSpec
{
    [Description("The EdgeNode, in the same namespace, through which clients reach the agent.")]
    public required EdgeNodeReference EdgeRef { get; init; }

    [Description("Endpoints clients may forward to, each by name. A client can reach these and nothing else.")]
    [Items(1, 64)]
    [ListMapKeys("name")]
    public required IReadOnlyList<PortForwardTarget> Targets { get; init; }

    [Description("Client credentials and allowed source networks.")]
    public required PortForwardAuth Auth { get; init; }

    [Description("Most forwarded connections and UDP sessions open at once, over all clients.")]
    [Default(100)]
    [Range(1, 10000)]
    public int MaxSessions { get; set; } = 100;

    [Description("How long a UDP session may stay silent in both directions before it is closed, as a Go duration.")]
    [Default("60s")]
    [Pattern(Patterns.Duration)]
    [Length(2, 32)]
    public string UdpIdleTimeout { get; set; } = "60s";

    /// <summary>The checks of the CEL rules of the types inside the spec.</summary>
    public IReadOnlyList<SpecViolation> Validate()
    {
        var violations = new List<SpecViolation>();
        for (var i = 0; i < Targets.Count; i++)
        {
            Targets[i].Validate($"spec.targets[{i}]", violations);
        }

        return violations;
    }
}
