using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Operator.Apply;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>
/// The names of what a Tunnel <c>t</c> owns, and how it is known on its edge.
/// <code>
/// Secret     t-tunnel-token   token (the edge API token, its only copy), ca.crt (the edge's CA)
/// Deployment t-agent          tunnelctl tunnel, TUNNEL_TOKEN from the Secret
/// edge user  &lt;namespace&gt;@tunnels.&lt;edge&gt;.&lt;edge namespace&gt;.tunneloperator.io (one per namespace and edge)
/// edge token tunnel/&lt;uid&gt;      (one per Tunnel; a re-created Tunnel gets a new one)
/// </code>
/// </summary>
internal static class TunnelChildren
{
    public const string TokenKey = "token";
    public const string CaCertificateKey = "ca.crt";

    public static string TokenSecret(string tunnel) => $"{tunnel}-tunnel-token";

    public static string AgentDeployment(string tunnel) => $"{tunnel}-agent";

    /// <summary>
    /// The edge user the Tunnels of a namespace share on one edge. Slugs come from the local part, so
    /// named subdomains read <c>&lt;name&gt;-&lt;namespace&gt;-&lt;4 hex&gt;</c>.
    /// </summary>
    public static string UserEmail(string tunnelNamespace, string edgeName, string edgeNamespace) =>
        $"{tunnelNamespace}@tunnels.{edgeName}.{edgeNamespace}.tunneloperator.io";

    /// <summary>The name of the Tunnel's token on the edge: its uid, so orphans of this Tunnel can be found and revoked.</summary>
    public static string TokenName(Tunnel tunnel) => $"tunnel/{tunnel.Metadata.Uid}";

    public static IReadOnlyDictionary<string, string> SelectorLabels(string tunnel) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [WellKnown.NameLabel] = "tunnel-agent",
        [WellKnown.InstanceLabel] = ChildNames.LabelValue(tunnel),
        [WellKnown.TunnelLabel] = ChildNames.LabelValue(tunnel),
    };

    public static IReadOnlyDictionary<string, string> Labels(string tunnel) =>
        new Dictionary<string, string>(SelectorLabels(tunnel), StringComparer.Ordinal)
        {
            [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue,
            [WellKnown.ComponentLabel] = "agent",
        };
}
