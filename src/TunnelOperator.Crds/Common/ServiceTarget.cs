using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Common;

/// <summary>A port of a Service in the namespace of the object that names it.</summary>
public sealed record ServiceTarget
{
    [Description("Name of the Service, in the same namespace as the object that names it.")]
    [Pattern(Patterns.DnsLabel)]
    [Length(1, 63)]
    public required string Name { get; init; }

    [Description("Port of the Service: its number, or the name of one of its ports.")]
    [Pattern(Patterns.DnsLabel)]
    [Range(1, 65535)]
    public required IntOrString Port { get; init; }
}
