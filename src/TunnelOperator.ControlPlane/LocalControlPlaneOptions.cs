using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.ControlPlane.Workloads;

namespace TunnelOperator.ControlPlane;

/// <summary>How to start a <see cref="LocalControlPlane"/>: where its state lives and where it listens.</summary>
public sealed record LocalControlPlaneOptions
{
    /// <summary>Holds the SQLite store, the CA and certificates, and <c>tokens.csv</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Default 127.0.0.1:6443, like kube-apiserver's secure port; port 0 picks a free one.</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 6443);

    /// <summary>When set, the admin kubeconfig is written here too (otherwise only into the data directory).</summary>
    public string? KubeconfigPath { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>How many events the in-memory watch log keeps; an older resourceVersion gets 410 Expired.</summary>
    public int WatchCacheCapacity { get; init; } = 10_000;

    /// <summary>How often a watch that allows bookmarks receives one (kube-apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a watch stays open when the client sets no timeoutSeconds (kube-apiserver: --min-request-timeout 1800s).</summary>
    public TimeSpan MaxWatchDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Request bodies above this are refused with 413 (etcd's default request limit is 1.5 MiB; kube-apiserver allows 3 MiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>Concurrent watches across all clients; one more gets 429.</summary>
    public int MaxWatchers { get; init; } = 1_000;

    /// <summary>Non-watch requests taking longer than this end with a 504 Timeout Status (kube-apiserver: --request-timeout 60s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where Service clusterIPs come from (kube-apiserver's --service-cluster-ip-range). The default
    /// 10.96.0.0/12 is kubeadm's, for tests that compare with a real cluster; with the workload runner a
    /// loopback range such as 127.96.0.0/16 makes clusterIPs reachable on this machine (<c>tunneld local</c>
    /// uses that). The first address goes to the <c>kubernetes</c> service.
    /// </summary>
    public string ServiceCidr { get; init; } = "10.96.0.0/12";

    /// <summary>
    /// Runs the workload runner in-process: Deployments become Pods, suite-image Pods become local
    /// processes on loopback addresses, Services are proxied (see <see cref="Workloads"/>).
    /// </summary>
    public bool RunWorkloads { get; init; }

    /// <summary>How the workload runner runs Pods and Services; used when <see cref="RunWorkloads"/> is set.</summary>
    public WorkloadRunnerOptions Workloads { get; init; } = new();
}
