using TunnelOperator.Crds.Generation;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.PortForwards;

/// <summary>The observed state of a <see cref="PortForward"/>, written by the operator.</summary>
public sealed record PortForwardStatus
{
    [Description("Address clients give tunnelctl port-forward: the edge's control endpoint, e.g. https://tnl.example.com:7777.")]
    public string? Endpoint { get; init; }

    [Description("Sessions open right now.")]
    public int? ActiveSessions { get; init; }

    [Description("Latest observations: Ready (the agent is connected and clients can forward) and Connected (the agent holds a session with the edge).")]
    [ListMapKeys("type")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }
}
