using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Tunnels;

/// <summary>What a tunnel forwards to: a Service port or a URL, never both.</summary>
[CelRule("has(self.service) != has(self.url)", ExactlyOneTarget)]
public sealed record TunnelTarget
{
    internal const string ExactlyOneTarget = "exactly one of service or url must be set";

    [Description("A Service port in the tunnel's namespace. The agent resolves it through cluster DNS on each connection, so it follows the Service's endpoints.")]
    public ServiceTarget? Service { get; init; }

    [Description("An origin the agent dials, e.g. http://app.shop.svc:8080 or tcp://10.0.0.5:5432. The scheme must be http, https, tcp or udp; a path is kept as a prefix for http and https.")]
    [Pattern(Patterns.TargetUrl)]
    [Length(1, 2048)]
    public string? Url { get; init; }
}
