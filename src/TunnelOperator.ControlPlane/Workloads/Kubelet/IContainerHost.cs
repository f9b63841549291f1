using TunnelOperator.ControlPlane.Workloads.Kubelet.Probes;
using TunnelOperator.ControlPlane.Workloads.Logs;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>What a <see cref="ContainerRunner"/> needs from the Pod it belongs to.</summary>
internal interface IContainerHost
{
    /// <summary><c>name_namespace(uid)</c>, as kubelet names a Pod in messages.</summary>
    string PodRef { get; }

    /// <summary><c>Always</c>, <c>OnFailure</c> or <c>Never</c>.</summary>
    string RestartPolicy { get; }

    /// <summary>The Pod's terminationGracePeriodSeconds.</summary>
    TimeSpan GracePeriod { get; }

    /// <summary>What to run for the container now, or why it cannot start (reason, message).</summary>
    (LaunchSpec? Launch, string? Reason, string? Message) Prepare(Container container);

    /// <summary>Where the container's probes reach it.</summary>
    ProbeTarget ProbeTarget(Container container, LaunchSpec launch);

    ContainerLogWriter OpenLog(string container, int instance);

    string PidFile(string container);

    /// <summary>A container's state or readiness changed: the Pod's status needs writing.</summary>
    void StatusChanged();

    Task EventAsync(bool warning, string container, string reason, string message);
}
