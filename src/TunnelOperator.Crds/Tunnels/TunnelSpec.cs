using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Tunnels;

/// <summary>The desired state of a <see cref="Tunnel"/>.</summary>
[CelRule("(self.protocol == 'tcp' || self.protocol == 'udp') == has(self.publicPort)", PublicPortOnlyForPorts, FieldPath = ".publicPort")]
[CelRule("!has(self.target.url) || self.target.url.startsWith('udp://') == (self.protocol == 'udp')", UdpNeedsUdpUrl, FieldPath = ".target.url")]
[CelRule("!self.takeover || has(self.name)", TakeoverNeedsName, FieldPath = ".takeover")]
public sealed record TunnelSpec
{
    internal const string PublicPortOnlyForPorts = "publicPort is required for tcp and udp tunnels and not allowed for the others";
    internal const string UdpNeedsUdpUrl = "a udp tunnel needs a udp:// target url, and a udp:// url needs a udp tunnel";
    internal const string TakeoverNeedsName = "takeover needs a name: a random subdomain never collides";

    [Description("The EdgeNode, in the same namespace, that serves this tunnel's public endpoint.")]
    public required EdgeNodeReference EdgeRef { get; init; }

    [Description("What the tunnel forwards to: exactly one of service or url.")]
    public required TunnelTarget Target { get; init; }

    [Description("How the edge exposes the tunnel. http and https route requests by Host header and terminate TLS at the edge (https also makes the agent dial the target over TLS); tls-passthrough routes by SNI and leaves TLS to the target; tcp and udp claim publicPort on the edge.")]
    [Default(TunnelProtocol.Http)]
    public TunnelProtocol Protocol { get; set; } = TunnelProtocol.Http;

    [Description("Subdomain under the edge's base host, e.g. shop gives shop.<baseHost>. When absent the edge assigns a random one, which the operator records in status.subdomain and requests again when the agent reconnects. Names are claimed first come, first served on each edge.")]
    [Pattern(Patterns.DnsLabel)]
    [Length(1, 63)]
    public string? Name { get; init; }

    [Description("When another agent already holds this name on the edge, disconnect it and take the name, instead of waiting until it goes away.")]
    [Default(false)]
    public bool Takeover { get; set; }

    [Description("An additional public hostname of your own, e.g. shop.example.com. Point its DNS at the edge's address; an edge in acme mode obtains its certificate.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public string? Hostname { get; init; }

    [Description("Most requests in flight through this tunnel at once; further ones get 503 until some finish. Defaults to the edge's maxConcurrentRequests.")]
    [Range(1, 100000)]
    public int? MaxConcurrentRequests { get; init; }

    [Description("The agent pods that carry the tunnel's traffic from the edge to the target.")]
    [Default]
    public TunnelAgentSpec Agent { get; set; } = new();

    [Description("Port the edge listens on for a tcp or udp tunnel; required for those protocols and not allowed for the others. A port can be held by one tunnel per protocol on each edge.")]
    [Range(1, 65535)]
    public int? PublicPort { get; init; }

    /// <summary>The checks of the CEL rules above, for API servers that do not evaluate CEL.</summary>
    public IReadOnlyList<SpecViolation> Validate()
    {
        var violations = new List<SpecViolation>();
        if ((Target.Service is null) == (Target.Url is null))
        {
            violations.Add(new("spec.target", TunnelTarget.ExactlyOneTarget));
        }

        if ((Protocol is TunnelProtocol.Tcp or TunnelProtocol.Udp) != PublicPort.HasValue)
        {
            violations.Add(new("spec.publicPort", PublicPortOnlyForPorts));
        }

        if (Target.Url is { } url && url.StartsWith("udp://", StringComparison.Ordinal) != (Protocol == TunnelProtocol.Udp))
        {
            violations.Add(new("spec.target.url", UdpNeedsUdpUrl));
        }

        if (Takeover && Name is null)
        {
            violations.Add(new("spec.takeover", TakeoverNeedsName));
        }

        return violations;
    }
}
