using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Hives;

/// <summary>How a hive is published through an edge.</summary>
public sealed record HiveExposure
{
    [Description("The EdgeNode, in the same namespace, that publishes the relay. The operator creates a Tunnel (protocol http) owned by the Hive; the edge terminates TLS, and message contents stay end-to-end encrypted between clients.")]
    public required EdgeNodeReference EdgeRef { get; init; }

    [Description("Subdomain under the edge's base host. A random one when absent.")]
    [Pattern(Patterns.DnsLabel)]
    [Length(1, 63)]
    public string? Name { get; init; }

    [Description("An additional public hostname of your own for the relay.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public string? Hostname { get; init; }
}
