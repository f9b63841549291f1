using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Operator.Tests.Support;

/// <summary>Builders of the objects the planners take, as they come from the API (uid, generation set).</summary>
internal static class TestObjects
{
    public const string EdgeUid = "6f1b7c1e-0000-4000-8000-00000000edge";
    public const string TunnelUid = "0a7d3c9e-0000-4000-8000-0000000000aa";

    public static EdgeNode Edge(string name = "edge", string ns = "shop", Func<EdgeNodeSpec, EdgeNodeSpec>? spec = null) => new()
    {
        ApiVersion = EdgeNode.Resource.ApiVersion,
        Kind = EdgeNode.Resource.Kind,
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = EdgeUid, Generation = 3 },
        Spec = (spec ?? (s => s))(new EdgeNodeSpec { BaseHost = "tunnels.example.com" }),
    };

    public static Tunnel Tunnel(string name = "web", string ns = "shop", Func<TunnelSpec, TunnelSpec>? spec = null) => new()
    {
        ApiVersion = Crds.Tunnels.Tunnel.Resource.ApiVersion,
        Kind = Crds.Tunnels.Tunnel.Resource.Kind,
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = TunnelUid, Generation = 2 },
        Spec = (spec ?? (s => s))(new TunnelSpec
        {
            EdgeRef = new EdgeNodeReference { Name = "edge" },
            Target = new TunnelTarget { Service = new ServiceTarget { Name = "web", Port = "http" } },
            Name = "shop",
        }),
    };

    public static Service Service(string name = "web", string ns = "shop", params ServicePort[] ports) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = Guid.NewGuid().ToString() },
        Spec = new Kubernetes.Models.Core.ServiceSpec
        {
            Ports = ports.Length > 0 ? ports : [new ServicePort { Name = "http", Port = 80 }, new ServicePort { Name = "metrics", Port = 9100 }],
        },
    };
}
