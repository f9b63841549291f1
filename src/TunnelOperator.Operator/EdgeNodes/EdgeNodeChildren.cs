using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Operator.Apply;

namespace TunnelOperator.Operator.EdgeNodes;

/// <summary>
/// The names of what an EdgeNode <c>e</c> owns, and how the operator and agents reach it. Other
/// controllers (Tunnels) find an edge's Secrets and endpoints through here.
/// <code>
/// Deployment e-edge        tunneld serve
/// Service    e             public: http, https, control (type from the spec)
/// Service    e-admin       ClusterIP, admin port only: the operator's way in, never public
/// Secret     e-admin-token token (bearer of the admin API)
/// Secret     e-ca          ca.crt, ca.key (the CA every replica issues from and every agent trusts)
/// </code>
/// </summary>
internal static class EdgeNodeChildren
{
    public const string AdminTokenKey = "token";
    public const string CaCertificateKey = "ca.crt";
    public const string CaKeyKey = "ca.key";

    public static string Deployment(string edge) => $"{edge}-edge";

    public static string PublicService(string edge) => edge;

    public static string AdminService(string edge) => $"{edge}-admin";

    public static string AdminTokenSecret(string edge) => $"{edge}-admin-token";

    public static string CaSecret(string edge) => $"{edge}-ca";

    /// <summary><c>http://e-admin.ns.svc.cluster.local:ADMIN/</c>: the admin API through its ClusterIP Service.</summary>
    public static Uri AdminEndpoint(EdgeNode edge) =>
        new($"http://{ChildNames.ServiceDnsName(AdminService(edge.Metadata.Name!), edge.Metadata.Namespace!)}:{edge.Spec.Ports.Admin}/");

    /// <summary><c>https://e.ns.svc.cluster.local:CONTROL</c>: where in-cluster agents connect.</summary>
    public static Uri ControlEndpoint(EdgeNode edge) =>
        new($"https://{ChildNames.ServiceDnsName(PublicService(edge.Metadata.Name!), edge.Metadata.Namespace!)}:{edge.Spec.Ports.Control}");

    /// <summary>The names agents may dial the public Service by; the edge's CA issues certificates for them.</summary>
    public static IReadOnlyList<string> ServiceNames(EdgeNode edge)
    {
        var service = PublicService(edge.Metadata.Name!);
        var ns = edge.Metadata.Namespace!;
        return [ChildNames.ServiceDnsName(service, ns), $"{service}.{ns}.svc", $"{service}.{ns}", service];
    }

    /// <summary>The labels of the edge's pods (and its Deployment's selector).</summary>
    public static IReadOnlyDictionary<string, string> SelectorLabels(string edge) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [WellKnown.NameLabel] = "tunneld-edge",
        [WellKnown.InstanceLabel] = ChildNames.LabelValue(edge),
        [WellKnown.EdgeNodeLabel] = ChildNames.LabelValue(edge),
    };

    /// <summary>The selector labels plus who manages them.</summary>
    public static IReadOnlyDictionary<string, string> Labels(string edge) =>
        new Dictionary<string, string>(SelectorLabels(edge), StringComparer.Ordinal)
        {
            [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue,
            [WellKnown.ComponentLabel] = "edge",
        };
}
