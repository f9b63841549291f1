using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Workloads.Logs;
using TunnelOperator.ControlPlane.Workloads.Networking;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>What the kubelet's Pod workers share.</summary>
internal sealed record KubeletContext(
    ClusterApi Api,
    PodPaths Paths,
    PodLogs Logs,
    PodIpAllocator Ips,
    EventRecorder Events,
    SuiteImages Images,
    ProgramResolver Programs,
    WorkloadRunnerOptions Options,
    TimeProvider Time,
    ILogger Logger)
{
    public const string Component = "kubelet";
}
