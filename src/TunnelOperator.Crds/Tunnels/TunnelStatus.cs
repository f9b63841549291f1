using System.Text.Json.Serialization;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Tunnels;

/// <summary>The observed state of a <see cref="Tunnel"/>, written by the operator.</summary>
public sealed record TunnelStatus
{
    [Description("Where the public reaches the tunnel: https://<subdomain>.<baseHost>/ for http and https, tls://host:443 for tls-passthrough, tcp://address:port or udp://address:port for the others.")]
    [JsonPropertyName("publicURL")]
    public string? PublicUrl { get; init; }

    [Description("Subdomain the edge granted, named or random. A random one is requested again after a reconnect.")]
    public string? Subdomain { get; init; }

    [Description("The EdgeNode the tunnel is registered with.")]
    public string? Edge { get; init; }

    [Description("Agent connections the edge currently holds for this tunnel.")]
    public int? ConnectedAgents { get; init; }

    [Description("Latest observations: Ready (the public endpoint serves traffic), Connected (at least one agent holds a session with the edge) and DNSReady/CertificateReady for a custom hostname.")]
    [ListMapKeys("type")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }
}
