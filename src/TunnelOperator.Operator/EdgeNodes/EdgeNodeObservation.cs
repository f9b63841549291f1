using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Operator.EdgeNodes;

/// <summary>What the observe step of the EdgeNode controller saw, for the status plan.</summary>
internal sealed record EdgeNodeObservation
{
    /// <summary>Why the spec is not run (a reason of <see cref="EdgeNodeReasons"/> and a message), or null.</summary>
    public (string Reason, string Message)? Refusal { get; init; }

    public Deployment? Deployment { get; init; }

    public Service? PublicService { get; init; }

    /// <summary>Whether the live edge answered <c>/readyz</c> through its admin Service; null when not asked (no pod ready).</summary>
    public bool? EdgeReady { get; init; }

    /// <summary>Why the edge could not be asked, when it could not.</summary>
    public string? EdgeProblem { get; init; }
}
