using System.Globalization;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// Docker-links-style variables for Services (kubelet getServiceEnvVarMap): every Service with a clusterIP in
/// the Pod's namespace when <c>enableServiceLinks</c> is on, and always the <c>kubernetes</c> Service.
/// With a loopback service CIDR these are how a local process finds a Service without DNS:
/// <c>MY_SVC_SERVICE_HOST</c>, <c>MY_SVC_SERVICE_PORT</c>, <c>MY_SVC_PORT_8080_TCP=tcp://ip:8080</c> ….
/// </summary>
internal static class ServiceLinks
{
    public static Dictionary<string, string> For(ClusterApi api, string ns, bool enableServiceLinks)
    {
        var services = new List<JsonObject>();
        if (enableServiceLinks)
        {
            services.AddRange(api.List(api.Services, ns));
        }

        if (ns != "default" || !enableServiceLinks)
        {
            if (api.Get(api.Services, "default", "kubernetes") is { } kubernetes)
            {
                services.Add(kubernetes);
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var svc in services)
        {
            var ip = Meta.Str(svc["spec"]?["clusterIP"]);
            if (string.IsNullOrEmpty(ip) || ip == "None" || svc["spec"]?["ports"] is not JsonArray { Count: > 0 } ports)
            {
                continue;
            }

            var prefix = Name(Meta.Name(svc));
            env[prefix + "_SERVICE_HOST"] = ip;
            env[prefix + "_SERVICE_PORT"] = Port(ports[0]);
            foreach (var p in ports.OfType<JsonObject>())
            {
                if (Meta.Str(p["name"]) is { Length: > 0 } portName)
                {
                    env[$"{prefix}_SERVICE_PORT_{Name(portName)}"] = Port(p);
                }
            }

            var firstProtocol = (Meta.Str(ports[0]?["protocol"]) ?? "TCP").ToLowerInvariant();
            env[prefix + "_PORT"] = $"{firstProtocol}://{ip}:{Port(ports[0])}";
            foreach (var p in ports.OfType<JsonObject>())
            {
                var protocol = Meta.Str(p["protocol"]) ?? "TCP";
                var key = $"{prefix}_PORT_{Port(p)}_{protocol.ToUpperInvariant()}";
                env[key] = $"{protocol.ToLowerInvariant()}://{ip}:{Port(p)}";
                env[key + "_PROTO"] = protocol.ToLowerInvariant();
                env[key + "_PORT"] = Port(p);
                env[key + "_ADDR"] = ip;
            }
        }

        return env;
    }

    private static string Name(string name) => name.ToUpperInvariant().Replace('-', '_');

    private static string Port(JsonNode? port) => (Meta.Long(port?["port"]) ?? 0).ToString(CultureInfo.InvariantCulture);
}
