using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>The ports the edge listens on, in its pods and on its Service.</summary>
public sealed record EdgePorts
{
    [Description("Plain HTTP: requests routed by Host, redirects to HTTPS and ACME HTTP-01 challenges.")]
    [Default(80)]
    [Range(1, 65535)]
    public int Http { get; set; } = 80;

    [Description("TLS: HTTPS routed by Host, passthrough routed by SNI, and agent sessions negotiated by ALPN for networks that only allow outbound 443.")]
    [Default(443)]
    [Range(1, 65535)]
    public int Https { get; set; } = 443;

    [Description("Dedicated agent control port (TLS 1.3), so agent sessions can be observed and rate-limited apart from public traffic.")]
    [Default(7777)]
    [Range(1, 65535)]
    public int Control { get; set; } = 7777;

    [Description("Admin API and metrics, through which the operator drives the edge. Never exposed publicly: the operator reaches it through a separate ClusterIP Service.")]
    [Default(9090)]
    [Range(1, 65535)]
    public int Admin { get; set; } = 9090;
}
