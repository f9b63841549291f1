using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>How the edge answers ACME DNS-01 challenges.</summary>
public sealed record AcmeDns01
{
    [Description("Publish challenge records by RFC 2136 dynamic update.")]
    public required Rfc2136Provider Rfc2136 { get; init; }
}
