using System.Net;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// Which Service port a proxy listener serves, and the ready endpoints behind it right now (from the
/// Service's Endpoints: the addresses of subsets that carry a port of the same name and protocol),
/// taken in turn (round-robin), as kube-proxy spreads connections.
/// </summary>
internal sealed class ServiceBackends
{
    private readonly ClusterApi _api;
    private int _next;

    public ServiceBackends(ClusterApi api, string ns, string service, string portName, string protocol)
    {
        _api = api;
        Namespace = ns;
        Service = service;
        PortName = portName;
        Protocol = protocol;
    }

    public string Namespace { get; }

    public string Service { get; }

    public string PortName { get; }

    public string Protocol { get; }

    /// <summary>The ready endpoints, starting at the next in turn.</summary>
    public IReadOnlyList<IPEndPoint> InTurn()
    {
        var endpoints = _api.Get(_api.Endpoints, Namespace, Service);
        var all = new List<IPEndPoint>();
        foreach (var subset in (endpoints?["subsets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var port = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(p => (Meta.Str(p["name"]) ?? "") == PortName && (Meta.Str(p["protocol"]) ?? "TCP") == Protocol);
            if (port is null || Meta.Long(port["port"]) is not { } number)
            {
                continue;
            }

            foreach (var address in (subset["addresses"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (IPAddress.TryParse(Meta.Str(address["ip"]), out var ip))
                {
                    all.Add(new IPEndPoint(ip, (int)number));
                }
            }
        }

        if (all.Count <= 1)
        {
            return all;
        }

        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)all.Count);
        return [.. all.Skip(start), .. all.Take(start)];
    }
}
