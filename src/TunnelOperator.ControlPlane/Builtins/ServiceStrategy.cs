using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// core/v1 Service: a clusterIP from the service CIDR (<see cref="LocalControlPlaneOptions.ServiceCidr"/>,
/// default 10.96.0.0/12; its first address is the <c>kubernetes</c> service's and the tenth stays free, as
/// for cluster DNS), node ports from 30000–32767 for NodePort and LoadBalancer, and the defaults kube-apiserver
/// fills in (ipFamilies, policies, port protocol and targetPort). Allocations survive updates that omit them.
/// </summary>
internal sealed class ServiceStrategy : ResourceStrategy
{
    private static readonly string[] Types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private readonly ObjectStore _store;
    private readonly Ipv4Cidr _cidr;
    private readonly object _lock = new();
    private readonly HashSet<string> _reserved = [];
    private readonly HashSet<long> _reservedPorts = [];

    public ServiceStrategy(ObjectStore store, Ipv4Cidr cidr)
    {
        _store = store;
        _cidr = cidr;
    }

    /// <summary>The address of the <c>kubernetes</c> service: the first of the range.</summary>
    public string KubernetesServiceIp => _cidr.At(1).ToString();

    public Ipv4Cidr Cidr => _cidr;

    public override void PrepareForCreate(JsonObject obj, ResourceDefinition def)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            obj["spec"] = spec;
        }

        PodSpecDefaults.SetIfMissing(spec, "type", "ClusterIP");
        var type = Meta.Str(spec["type"]);
        if (type != "ExternalName")
        {
            var ip = Meta.Str(spec["clusterIP"]);
            if (string.IsNullOrEmpty(ip))
            {
                ip = AllocateIp(Meta.Namespace(obj) == "default" && Meta.Name(obj) == "kubernetes");
                spec["clusterIP"] = ip;
            }

            spec["clusterIPs"] = new JsonArray(ip);
            PodSpecDefaults.SetIfMissing(spec, "ipFamilies", new JsonArray("IPv4"));
            PodSpecDefaults.SetIfMissing(spec, "ipFamilyPolicy", "SingleStack");
            PodSpecDefaults.SetIfMissing(spec, "internalTrafficPolicy", "Cluster");
        }

        PodSpecDefaults.SetIfMissing(spec, "sessionAffinity", "None");
        if (type is "NodePort" or "LoadBalancer")
        {
            PodSpecDefaults.SetIfMissing(spec, "externalTrafficPolicy", "Cluster");
        }

        DefaultPorts(spec, type, null);
        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceDefinition def)
    {
        if (obj["spec"] is not JsonObject spec || old["spec"] is not JsonObject oldSpec)
        {
            return;
        }

        var type = Meta.Str(spec["type"]) ?? "ClusterIP";
        spec["type"] = type;
        if (type != "ExternalName" && string.IsNullOrEmpty(Meta.Str(spec["clusterIP"])) && oldSpec["clusterIP"] is { } oldIp)
        {
            // An update that omits the allocated IP keeps it (patchAllocatedValues).
            spec["clusterIP"] = oldIp.DeepClone();
            spec["clusterIPs"] = oldSpec["clusterIPs"]?.DeepClone();
            PodSpecDefaults.SetIfMissing(spec, "ipFamilies", oldSpec["ipFamilies"]?.DeepClone());
            PodSpecDefaults.SetIfMissing(spec, "ipFamilyPolicy", oldSpec["ipFamilyPolicy"]?.DeepClone());
            PodSpecDefaults.SetIfMissing(spec, "internalTrafficPolicy", oldSpec["internalTrafficPolicy"]?.DeepClone());
        }

        PodSpecDefaults.SetIfMissing(spec, "sessionAffinity", "None");
        if (type is "NodePort" or "LoadBalancer")
        {
            PodSpecDefaults.SetIfMissing(spec, "externalTrafficPolicy", oldSpec["externalTrafficPolicy"]?.DeepClone() ?? "Cluster");
        }

        DefaultPorts(spec, type, oldSpec);
    }

    private void DefaultPorts(JsonObject spec, string? type, JsonObject? oldSpec)
    {
        if (spec["ports"] is not JsonArray ports)
        {
            return;
        }

        foreach (var p in ports.OfType<JsonObject>())
        {
            PodSpecDefaults.SetIfMissing(p, "protocol", "TCP");
            PodSpecDefaults.SetIfMissing(p, "targetPort", p["port"]?.DeepClone());
            if (type is "NodePort" or "LoadBalancer" && p["nodePort"] is null)
            {
                var previous = (oldSpec?["ports"] as JsonArray)?.OfType<JsonObject>()
                    .FirstOrDefault(o => JsonNode.DeepEquals(o["port"], p["port"]) && Meta.Str(o["protocol"]) == Meta.Str(p["protocol"]))?["nodePort"];
                p["nodePort"] = previous?.DeepClone() ?? AllocateNodePort();
            }
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = new List<FieldError>();
        var type = Meta.Str(obj["spec"]?["type"]) ?? "ClusterIP";
        if (!Types.Contains(type))
        {
            errors.Add(FieldError.NotSupported("spec.type", type, Types));
        }

        var headless = Meta.Str(obj["spec"]?["clusterIP"]) == "None";
        if (type != "ExternalName" && !headless && obj["spec"]?["ports"] is not JsonArray { Count: > 0 })
        {
            errors.Add(FieldError.Required("spec.ports", ""));
        }

        if (obj["spec"]?["ports"] is JsonArray ports)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if (Meta.Long(ports[i]?["port"]) is not { } port || port is < 1 or > 65535)
                {
                    errors.Add(FieldError.Invalid($"spec.ports[{i}].port", ports[i]?["port"], "must be between 1 and 65535, inclusive"));
                }

                if (ports.Count > 1 && string.IsNullOrEmpty(Meta.Str(ports[i]?["name"])))
                {
                    errors.Add(FieldError.Required($"spec.ports[{i}].name", ""));
                }
            }
        }

        var requested = Meta.Str(obj["spec"]?["clusterIP"]);
        if (old is null && type != "ExternalName" && requested is { Length: > 0 } && requested != "None" && !_cidr.Contains(requested))
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", requested,
                $"failed to allocate IP {requested}: provided IP is not in the valid range. The range of valid IPs is {_cidr}"));
        }

        if (old is not null && type != "ExternalName" && Meta.Str(old["spec"]?["clusterIP"]) is { Length: > 0 } oldIp && Meta.Str(obj["spec"]?["clusterIP"]) != oldIp)
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", obj["spec"]?["clusterIP"], "may not change once set"));
        }

        return errors;
    }

    private string AllocateIp(bool kubernetesService)
    {
        lock (_lock)
        {
            if (kubernetesService)
            {
                return KubernetesServiceIp;
            }

            var used = UsedIps();
            // Offset 0 (network), 1 (kubernetes), 10 (cluster DNS by convention) and the last address stay free.
            for (long offset = 2; offset < _cidr.Size - 1; offset++)
            {
                if (offset == 10)
                {
                    continue;
                }

                var candidate = _cidr.At(offset).ToString();
                if (!used.Contains(candidate) && _reserved.Add(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException($"service IP range {_cidr} exhausted");
        }
    }

    private HashSet<string> UsedIps()
    {
        var (services, _) = _store.List(new ResourceKey("", "services"), null);
        var used = services.Select(s => Meta.Str(s["spec"]?["clusterIP"]) ?? "").ToHashSet();
        _reserved.ExceptWith(used);
        return used;
    }

    private long AllocateNodePort()
    {
        lock (_lock)
        {
            var (services, _) = _store.List(new ResourceKey("", "services"), null);
            var used = services.SelectMany(s => (s["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
                .Select(p => Meta.Long(p["nodePort"]) is { } n ? n : 0).ToHashSet();
            for (long port = 30000; port <= 32767; port++)
            {
                if (!used.Contains(port) && _reservedPorts.Add(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("node port range exhausted");
        }
    }
}
