using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.TenantInvites;

/// <summary>The desired state of a <see cref="TenantInvite"/>.</summary>
public sealed record TenantInviteSpec
{
    [Description("The EdgeNode, in the same namespace, whose hub registers the tenant.")]
    public required EdgeNodeReference EdgeRef { get; init; }

    [Description("Name of the tenant on the hub, shown in its admin API and metrics, e.g. alice.")]
    [Pattern(Patterns.DnsLabel)]
    [Length(1, 63)]
    public required string TenantName { get; init; }

    [Description("Hostnames the tenant may route. A leading *. allows every name one label deeper, e.g. *.alice.example.com allows app.alice.example.com.")]
    [Pattern(Patterns.WildcardDnsName)]
    [Length(1, 253)]
    [Items(1, 100)]
    [ListSet]
    public required IReadOnlyList<string> Hostnames { get; init; }

    [Description("Raw TCP and UDP ports the tenant may claim on the edge. None when absent.")]
    [Items(0, 100)]
    [ListMapKeys("port", "protocol")]
    public IReadOnlyList<TenantPort>? Ports { get; init; }

    [Description("How long the invite stays valid after the object is created, as a Go duration of hours, minutes and seconds, e.g. 48h or 1h30m. A duration rather than a timestamp, so the same manifest can be applied again from Git; the absolute time is in status.expiresAt. Never expires when absent.")]
    [Pattern(Patterns.Duration)]
    [Length(2, 32)]
    public string? Expires { get; init; }

    [Description("Name of the Secret the operator writes the minted invite token into, under the key token. The token is the only credential an agent needs, so grant read access to it with care; the hub keeps only its hash.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public required string SecretName { get; init; }

    /// <summary>
    /// Cross-field checks, as on the other specs. A TenantInvite has none beyond its schema yet;
    /// the method exists so the operator can check every kind alike.
    /// </summary>
    public IReadOnlyList<SpecViolation> Validate() => [];
}
