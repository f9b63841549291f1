using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Support;

/// <summary>Builders for the objects tests create.</summary>
internal static class TestObjects
{
    public static Tunnel Tunnel(string name, string url = "http://app.example:8080") => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new TunnelSpec { EdgeRef = new EdgeNodeReference { Name = "edge" }, Target = new TunnelTarget { Url = url } },
    };

    public static ConfigMap ConfigMap(string name, string value = "1", IReadOnlyDictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = value },
    };
}
