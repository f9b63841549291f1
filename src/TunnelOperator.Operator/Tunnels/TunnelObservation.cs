using TunnelOperator.Crds.Common;
using TunnelOperator.Operator.EdgeAdmin;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>What the observe and apply steps of the Tunnel controller found, for the status plan.</summary>
internal sealed record TunnelObservation
{
    /// <summary>The spec's broken rules (the CEL rules' checks).</summary>
    public IReadOnlyList<SpecViolation> Violations { get; init; } = [];

    /// <summary>The EdgeNode exists and is not being deleted.</summary>
    public bool EdgeExists { get; init; }

    /// <summary>Why the target cannot be dialled (unknown Service or port, wrong scheme), or null.</summary>
    public string? TargetProblem { get; init; }

    /// <summary>Why the edge cannot be driven (no credentials yet, admin API unreachable), or null.</summary>
    public string? EdgeProblem { get; init; }

    /// <summary>A child the Tunnel would own belongs to someone else.</summary>
    public string? ChildProblem { get; init; }

    /// <summary>Live tunnels on the edge held with this Tunnel's token.</summary>
    public IReadOnlyList<EdgeTunnel> Connected { get; init; } = [];

    /// <summary>A live tunnel holding this Tunnel's name with another token, or null.</summary>
    public EdgeTunnel? NameHolder { get; init; }
}
