using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// The <c>subsets</c> of a Service's core/v1 Endpoints (endpoints controller syncService): the Pods its
/// selector matches that have an IP and are not terminating, ready ones under <c>addresses</c>, the rest
/// under <c>notReadyAddresses</c> (all ready with publishNotReadyAddresses), each Service port resolved
/// per Pod (a named targetPort by the container port of that name), Pods with the same ports in one subset.
/// Pure: no I/O.
/// </summary>
internal static class EndpointsBuilder
{
    /// <summary>The subsets, or null when the Service has no selector (its Endpoints are someone else's).</summary>
    public static JsonArray? Subsets(JsonObject service, IEnumerable<JsonObject> pods)
    {
        var selector = Meta.StringMap(service["spec"]?["selector"]);
        if (selector.Count == 0 || Meta.Str(service["spec"]?["type"]) == "ExternalName")
        {
            return null;
        }

        var publishNotReady = service["spec"]?["publishNotReadyAddresses"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var servicePorts = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var subsets = new SortedDictionary<string, (JsonArray Ports, List<JsonObject> Ready, List<JsonObject> NotReady)>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var labels = Meta.Labels(pod);
            var ip = Meta.Str(pod["status"]?["podIP"]);
            if (string.IsNullOrEmpty(ip) || Meta.IsDeleting(pod) || Meta.Str(pod["status"]?["phase"]) is "Succeeded" or "Failed"
                || !selector.All(kv => labels.TryGetValue(kv.Key, out var value) && value == kv.Value))
            {
                continue;
            }

            var ports = new JsonArray();
            foreach (var port in servicePorts)
            {
                if (TargetPort(port, pod) is { } number)
                {
                    var entry = new JsonObject();
                    if (Meta.Str(port["name"]) is { Length: > 0 } name)
                    {
                        entry["name"] = name;
                    }

                    entry["port"] = number;
                    entry["protocol"] = Meta.Str(port["protocol"]) ?? "TCP";
                    ports.Add(entry);
                }
            }

            if (ports.Count == 0 && servicePorts.Count > 0)
            {
                continue;
            }

            var key = ports.ToJsonString();
            if (!subsets.TryGetValue(key, out var subset))
            {
                subset = (ports, [], []);
                subsets[key] = subset;
            }

            var address = new JsonObject
            {
                ["ip"] = ip,
                ["nodeName"] = Meta.Str(pod["spec"]?["nodeName"]),
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = Meta.Namespace(pod), ["name"] = Meta.Name(pod), ["uid"] = Meta.Uid(pod) },
            };
            (publishNotReady || IsReady(pod) ? subset.Ready : subset.NotReady).Add(address);
        }

        var result = new JsonArray();
        foreach (var (ports, ready, notReady) in subsets.Values)
        {
            var subset = new JsonObject();
            if (ready.Count > 0)
            {
                subset["addresses"] = new JsonArray([.. ready.OrderBy(a => Meta.Str(a["ip"]), StringComparer.Ordinal)]);
            }

            if (notReady.Count > 0)
            {
                subset["notReadyAddresses"] = new JsonArray([.. notReady.OrderBy(a => Meta.Str(a["ip"]), StringComparer.Ordinal)]);
            }

            subset["ports"] = ports;
            result.Add(subset);
        }

        return result;
    }

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => Meta.Str(c["type"]) == "Ready" && Meta.Str(c["status"]) == "True");

    /// <summary>A Service port's targetPort on one Pod: a number as is, a name through the Pod's container ports.</summary>
    public static long? TargetPort(JsonObject servicePort, JsonObject pod)
    {
        var target = servicePort["targetPort"] ?? servicePort["port"];
        if (Meta.Long(target) is { } number)
        {
            return number;
        }

        if (Meta.Str(target) is not { Length: > 0 } name)
        {
            return null;
        }

        var protocol = Meta.Str(servicePort["protocol"]) ?? "TCP";
        return (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(p => Meta.Str(p["name"]) == name && (Meta.Str(p["protocol"]) ?? "TCP") == protocol)
            .Select(p => Meta.Long(p["containerPort"]))
            .FirstOrDefault();
    }
}
