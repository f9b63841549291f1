using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Builtins;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// kube-proxy and a loopback load balancer in one, level-based over all Services: every port of a Service
/// whose clusterIP is loopback is listened on at clusterIP:port (TCP or UDP, as the port says); NodePort
/// and LoadBalancer Services also at the node address on their nodePort; LoadBalancer Services also at
/// <see cref="WorkloadRunnerOptions.LoadBalancerAddress"/> on their port, and get that address as
/// <c>status.loadBalancer.ingress</c> once all of their ports listen there. Nothing outside 127.0.0.0/8 is
/// ever bound. A port that cannot be bound (taken, privileged) gets a Warning Event on its Service.
/// </summary>
internal sealed partial class ServiceProxy : IAsyncDisposable
{
    private const string Component = "service-controller";
    private readonly ClusterApi _api;
    private readonly WorkloadRunnerOptions _options;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncSignal _changed = new();
    private readonly Dictionary<ListenerKey, IAsyncDisposable> _listeners = [];
    private readonly Dictionary<ListenerKey, string> _failures = [];

    public ServiceProxy(ClusterApi api, WorkloadRunnerOptions options, EventRecorder events, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _events = events;
        _time = time;
        _logger = logger;
    }

    private readonly record struct ListenerKey(string Protocol, string Address, int Port)
    {
        public override string ToString() => $"{Address}:{Port}/{Protocol}";
    }

    private sealed record Wanted(JsonObject Service, string PortName, bool LoadBalancer);

    /// <summary>A Service or Endpoints changed.</summary>
    public void Changed() => _changed.Set();

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await _changed.WaitAsync(ct);
                try
                {
                    await SyncAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.SyncFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var wanted = new Dictionary<ListenerKey, Wanted>();
        var services = _api.List(_api.Services);
        foreach (var service in services.Where(s => !Meta.IsDeleting(s)))
        {
            var spec = service["spec"];
            var type = Meta.Str(spec?["type"]) ?? "ClusterIP";
            if (type == "ExternalName")
            {
                continue;
            }

            var clusterIp = Meta.Str(spec?["clusterIP"]);
            foreach (var port in (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var protocol = Meta.Str(port["protocol"]) ?? "TCP";
                if (protocol is not ("TCP" or "UDP") || Meta.Long(port["port"]) is not { } number)
                {
                    continue;
                }

                var portName = Meta.Str(port["name"]) ?? "";
                if (Ipv4Cidr.IsLoopbackAddress(clusterIp))
                {
                    wanted[new ListenerKey(protocol, clusterIp!, (int)number)] = new Wanted(service, portName, false);
                }

                if (type is "NodePort" or "LoadBalancer" && Meta.Long(port["nodePort"]) is { } nodePort && Ipv4Cidr.IsLoopbackAddress(_options.NodeAddress))
                {
                    wanted[new ListenerKey(protocol, _options.NodeAddress, (int)nodePort)] = new Wanted(service, portName, false);
                }

                if (type == "LoadBalancer" && Ipv4Cidr.IsLoopbackAddress(_options.LoadBalancerAddress))
                {
                    wanted.TryAdd(new ListenerKey(protocol, _options.LoadBalancerAddress, (int)number), new Wanted(service, portName, true));
                }
            }
        }

        foreach (var key in _listeners.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
        {
            await _listeners[key].DisposeAsync();
            _listeners.Remove(key);
        }

        foreach (var key in _failures.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
        {
            _failures.Remove(key);
        }

        foreach (var (key, want) in wanted)
        {
            var backends = new ServiceBackends(_api, Meta.Namespace(want.Service), Meta.Name(want.Service), want.PortName, key.Protocol);
            if (_listeners.TryGetValue(key, out var existing))
            {
                Retarget(existing, backends);
                continue;
            }

            var endPoint = new IPEndPoint(IPAddress.Parse(key.Address), key.Port);
            IAsyncDisposable? listener;
            string? error;
            if (key.Protocol == "UDP")
            {
                (var udp, error) = UdpForwarder.Listen(endPoint, backends, _time, _logger);
                listener = udp;
            }
            else
            {
                (var tcp, error) = TcpForwarder.Listen(endPoint, backends, _logger);
                listener = tcp;
            }

            if (listener is not null)
            {
                _listeners[key] = listener;
                _failures.Remove(key);
            }
            else if (!_failures.TryGetValue(key, out var previous) || previous != error)
            {
                _failures[key] = error!;
                Log.ListenFailed(_logger, Meta.Namespace(want.Service), Meta.Name(want.Service), error!);
                await _events.WarningAsync("kube-proxy", _options.NodeName, want.Service, "FailedToListen", $"the local proxy cannot serve {key}: {error}", ct);
            }
        }

        await SyncLoadBalancersAsync(services, wanted, ct);
    }

    private static void Retarget(IAsyncDisposable listener, ServiceBackends backends)
    {
        switch (listener)
        {
            case TcpForwarder tcp:
                tcp.Backends = backends;
                break;
            case UdpForwarder udp:
                udp.Backends = backends;
                break;
        }
    }

    /// <summary>
    /// The service controller's part: a LoadBalancer Service whose ports all listen on the load balancer
    /// address reports it as ingress; anything else reports none.
    /// </summary>
    private async Task SyncLoadBalancersAsync(IReadOnlyList<JsonObject> services, Dictionary<ListenerKey, Wanted> wanted, CancellationToken ct)
    {
        foreach (var service in services.Where(s => !Meta.IsDeleting(s)))
        {
            var isLoadBalancer = Meta.Str(service["spec"]?["type"]) == "LoadBalancer";
            var mine = wanted.Where(w => w.Value.LoadBalancer && Meta.Uid(w.Value.Service) == Meta.Uid(service)).Select(w => w.Key).ToList();
            var serving = isLoadBalancer && mine.Count > 0 && mine.All(_listeners.ContainsKey);
            var desired = serving
                ? new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = _options.LoadBalancerAddress, ["ipMode"] = "VIP" }) }
                : new JsonObject();
            var current = service["status"]?["loadBalancer"] ?? new JsonObject();
            if (JsonNode.DeepEquals(current, desired) || (!isLoadBalancer && current is JsonObject { Count: 0 }))
            {
                continue;
            }

            await _api.ModifyStatusAsync(_api.Services, Meta.Namespace(service), Meta.Name(service), Meta.Uid(service), s =>
            {
                if (s["status"] is not JsonObject status)
                {
                    status = new JsonObject();
                    s["status"] = status;
                }

                status["loadBalancer"] = desired.DeepClone();
            }, Component, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values)
        {
            await listener.DisposeAsync();
        }

        _listeners.Clear();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Proxy sync failed")]
        public static partial void SyncFailed(ILogger logger, Exception e);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Service {Namespace}/{Name}: {Error}")]
        public static partial void ListenFailed(ILogger logger, string @namespace, string name, string error);
    }
}
