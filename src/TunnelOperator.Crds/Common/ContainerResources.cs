using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Common;

/// <summary>Compute resources of a container (core/v1 ResourceRequirements), quantities as numbers or strings.</summary>
public sealed record ContainerResources
{
    [Description("Most of each resource the container may use, by resource name (cpu, memory, ephemeral-storage), e.g. memory: 256Mi.")]
    [Pattern(Patterns.Quantity)]
    [Items(0, 16)]
    public IReadOnlyDictionary<string, IntOrString>? Limits { get; init; }

    [Description("Amount of each resource the scheduler reserves for the container, by resource name, e.g. cpu: 100m.")]
    [Pattern(Patterns.Quantity)]
    [Items(0, 16)]
    public IReadOnlyDictionary<string, IntOrString>? Requests { get; init; }
}
