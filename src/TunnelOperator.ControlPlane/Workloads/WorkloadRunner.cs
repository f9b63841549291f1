using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Builtins;
using TunnelOperator.ControlPlane.Storage;
using TunnelOperator.ControlPlane.Workloads.Deployments;
using TunnelOperator.ControlPlane.Workloads.Kubelet;
using TunnelOperator.ControlPlane.Workloads.Logs;
using TunnelOperator.ControlPlane.Workloads.Networking;

namespace TunnelOperator.ControlPlane.Workloads;

/// <summary>
/// The local workload runner: the deployment controller, the scheduler and kubelet of one node, the
/// endpoints controller, kube-proxy and a loopback load balancer, all in the control plane's process.
/// It follows every committed change through the in-process change feed (what
/// <see cref="LocalControlPlane.WatchAsync"/> serves), reads current state from the store, and writes
/// through <see cref="ResourceService"/> under the Kubernetes components' field managers, so its writes pass
/// the same validation, status-subresource and managedFields rules as any client's.
/// </summary>
internal sealed partial class WorkloadRunner : IAsyncDisposable
{
    private readonly ClusterApi _api;
    private readonly ILogger _logger;
    private readonly DeploymentController _deployments;
    private readonly Kubelet.Kubelet _kubelet;
    private readonly EndpointsController _endpoints;
    private readonly ServiceProxy _proxy;
    private readonly HostsFile _hosts;
    private readonly EventRecorder _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Ipv4Cidr _serviceCidr;

    public WorkloadRunner(ResourceService service, LocalControlPlaneOptions options, ILoggerFactory loggers)
    {
        var workloads = options.Workloads;
        var time = options.Time;
        _api = new ClusterApi(service);
        _logger = loggers.CreateLogger("ControlPlane.Workloads");
        var paths = new PodPaths(options.DataDirectory);
        Logs = new PodLogs(paths, time);
        var events = new EventRecorder(_api, time, loggers.CreateLogger("ControlPlane.Workloads.Events"));
        _events = events;
        _deployments = new DeploymentController(_api, events, time, loggers.CreateLogger("ControlPlane.Workloads.Deployments"));
        _kubelet = new Kubelet.Kubelet(new KubeletContext(_api, paths, Logs, new PodIpAllocator(Ipv4Cidr.Parse(workloads.PodCidr)), events,
            new SuiteImages(workloads.SuiteImages), new ProgramResolver(workloads.Programs), workloads, time, loggers.CreateLogger("ControlPlane.Workloads.Kubelet")));
        _endpoints = new EndpointsController(_api, time, loggers.CreateLogger("ControlPlane.Workloads.Endpoints"));
        _proxy = new ServiceProxy(_api, workloads, events, time, loggers.CreateLogger("ControlPlane.Workloads.Proxy"));
        _hosts = new HostsFile(_api, paths.HostsFile);
        _serviceCidr = Ipv4Cidr.Parse(options.ServiceCidr);
    }

    /// <summary>The kubelet's log files, served at pods/{name}/log.</summary>
    public PodLogs Logs { get; }

    /// <summary>Starts following changes; <paramref name="apiServer"/> is what the kubernetes Service's Endpoints name.</summary>
    public async Task StartAsync(Uri apiServer, CancellationToken ct)
    {
        var stop = _stop.Token;
        if (!_serviceCidr.IsLoopback)
        {
            Log.ServiceCidrNotLoopback(_logger, _serviceCidr.ToString());
        }

        var feed = ChangeFeed.Open(_api.Store);
        _kubelet.Start();
        _loops.Add(_deployments.Queue.RunAsync(_deployments.ReconcileAsync, stop));
        _loops.Add(_endpoints.Queue.RunAsync(_endpoints.ReconcileAsync, stop));
        _loops.Add(_proxy.RunAsync(stop));
        _loops.Add(_hosts.RunAsync(stop));
        await _endpoints.WriteApiServerAsync(apiServer, ct);
        Resync();
        _loops.Add(Task.Run(() => FollowAsync(feed, stop), stop));
    }

    /// <summary>Routes each change to the components that care; a feed that overflowed is reopened and everything resynced.</summary>
    private async Task FollowAsync(ChangeFeed feed, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using (feed)
                {
                    await foreach (var e in feed.ReadAllAsync(ct))
                    {
                        Route(e);
                    }
                }

                Log.FeedOverflowed(_logger);
                feed = ChangeFeed.Open(_api.Store);
                Resync();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Route(ControlPlaneEvent e)
    {
        var key = $"{e.Namespace}/{e.Name}";
        switch ((e.Group, e.Resource))
        {
            case ("apps", "deployments"):
                _deployments.Queue.Add(key);
                break;
            case ("", "pods"):
                _kubelet.PodChanged(e.Namespace, e.Name);
                if (DeploymentController.OwnerKey(e.Body) is { } owner)
                {
                    _deployments.Queue.Add(owner);
                }

                _endpoints.PodChanged(e.Namespace);
                break;
            case ("", "services"):
                _endpoints.Queue.Add(key);
                _proxy.Changed();
                _hosts.Changed();
                break;
            case ("", "endpoints"):
                _proxy.Changed();
                _hosts.Changed();
                break;
            case ("", "secrets") or ("", "configmaps"):
                _kubelet.ConfigChanged(e.Namespace);
                break;
        }
    }

    private void Resync()
    {
        foreach (var d in _api.List(_api.Deployments))
        {
            _deployments.Queue.Add($"{Meta.Namespace(d)}/{Meta.Name(d)}");
        }

        foreach (var p in _api.List(_api.Pods))
        {
            _kubelet.PodChanged(Meta.Namespace(p), Meta.Name(p));
        }

        foreach (var s in _api.List(_api.Services))
        {
            _endpoints.Queue.Add($"{Meta.Namespace(s)}/{Meta.Name(s)}");
        }

        _proxy.Changed();
        _hosts.Changed();
    }

    /// <summary>Stops every process (Pods stay in the API, and start again with the next runner) and every listener.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        await _kubelet.DisposeAsync();
        await _proxy.DisposeAsync();
        _events.Dispose();
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The workload runner fell behind the change feed; resyncing")]
        public static partial void FeedOverflowed(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The service CIDR {Cidr} is not loopback: Services get clusterIPs there, but the local proxy serves only 127.0.0.0/8 (use e.g. 127.96.0.0/16)")]
        public static partial void ServiceCidrNotLoopback(ILogger logger, string cidr);
    }
}
