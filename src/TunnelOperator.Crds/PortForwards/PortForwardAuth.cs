using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.PortForwards;

/// <summary>Who may open a port forward. There is no unauthenticated mode.</summary>
public sealed record PortForwardAuth
{
    [Description("generated: the operator mints a token into the Secret, under the key token, when the Secret holds none. provided: every key of an existing Secret is a client name and its value that client's token; edit the Secret to add, rotate or revoke clients.")]
    [Default(PortForwardAuthMode.Generated)]
    public PortForwardAuthMode Mode { get; set; } = PortForwardAuthMode.Generated;

    [Description("Name of the Secret holding the client tokens, in the same namespace. The edge keeps only their hashes.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public required string SecretName { get; init; }

    [Description("Networks, in CIDR notation, clients may connect from. Any address when absent.")]
    [Pattern(Patterns.Cidr)]
    [Length(3, 43)]
    [Items(0, 32)]
    [ListSet]
    public IReadOnlyList<string>? AllowedClients { get; init; }
}
