using System.Net;

namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// Address ranges a forward server refuses even when a broader allowed network covers them:
/// a source inside one is allowed only by an allowlist entry at least as specific as the
/// range itself (<c>127.0.0.0/8</c> allows loopback, <c>0.0.0.0/0</c> does not). Cloud
/// metadata endpoints are single addresses, so only that exact /32 or /128 allows them.
/// Checked most specific first.
/// </summary>
internal static class SensitiveNetworks
{
    public sealed record Range(IPNetwork Network, string Kind);

    public static IReadOnlyList<Range> All { get; } =
    [
        // Instance metadata services: AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle (v4 and
        // AWS's v6 address); AWS ECS task metadata; Alibaba Cloud; Azure's WireServer.
        new(IPNetwork.Parse("169.254.169.254/32"), "a cloud metadata address"),
        new(IPNetwork.Parse("fd00:ec2::254/128"), "a cloud metadata address"),
        new(IPNetwork.Parse("169.254.170.2/32"), "a cloud metadata address"),
        new(IPNetwork.Parse("100.100.100.200/32"), "a cloud metadata address"),
        new(IPNetwork.Parse("168.63.129.16/32"), "a cloud metadata address"),
        new(IPNetwork.Parse("::1/128"), "the loopback address"),
        new(IPNetwork.Parse("::/128"), "the unspecified address (this host)"),
        new(IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        new(IPNetwork.Parse("fe80::/10"), "a link-local address"),
        new(IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        new(IPNetwork.Parse("0.0.0.0/8"), "a 'this host' address"),
    ];

    /// <summary>The most specific sensitive range holding <paramref name="address"/>, if any.</summary>
    public static Range? Find(IPAddress address) => All.FirstOrDefault(r => r.Network.Contains(address));
}
