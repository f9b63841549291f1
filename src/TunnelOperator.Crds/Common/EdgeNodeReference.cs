using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Common;

/// <summary>Names an EdgeNode in the referrer's namespace.</summary>
public sealed record EdgeNodeReference
{
    [Description("Name of the EdgeNode, in the same namespace as the referrer.")]
    [Pattern(Patterns.DnsLabel)]
    [Length(1, 63)]
    public required string Name { get; init; }
}
