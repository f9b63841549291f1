using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Common;

/// <summary>One key of a Secret in the same namespace, so credentials never sit in a spec.</summary>
public sealed record SecretKeyReference
{
    [Description("Name of the Secret, in the same namespace as the referrer.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public required string Name { get; init; }

    [Description("Key within the Secret's data whose value is used.")]
    [Pattern(Patterns.SecretKey)]
    [Length(1, 253)]
    public required string Key { get; init; }
}
