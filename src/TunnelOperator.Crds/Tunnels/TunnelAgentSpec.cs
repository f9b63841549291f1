using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Tunnels;

/// <summary>The agent Deployment the operator runs next to the target for one tunnel.</summary>
public sealed record TunnelAgentSpec
{
    [Description("Number of agent pods. Each connects to every edge replica, and the edge spreads requests across them; 0 takes the tunnel offline without deleting it.")]
    [Default(1)]
    [Range(0, 10)]
    public int Replicas { get; set; } = 1;

    [Description("CPU and memory of each agent container.")]
    public ContainerResources? Resources { get; init; }

    [Description("Agent container image, overriding the operator's default (the suite's own image, which runs tunnelctl agent).")]
    [Pattern(Patterns.Image)]
    [Length(1, 512)]
    public string? Image { get; init; }
}
