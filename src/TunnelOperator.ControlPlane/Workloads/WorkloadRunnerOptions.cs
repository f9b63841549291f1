namespace TunnelOperator.ControlPlane.Workloads;

/// <summary>
/// How the local workload runner (deployment controller, kubelet and kube-proxy on loopback) runs the
/// suite's Pods. Every address it uses is in 127.0.0.0/8.
/// </summary>
public sealed record WorkloadRunnerOptions
{
    /// <summary>
    /// Image name patterns the runner can run as local processes: <c>repo</c> or <c>repo:*</c> match any tag
    /// or digest of that repository, <c>repo:tag</c> only that tag. A Pod with any other image gets a
    /// Warning Event <c>UnsupportedImage</c> and stays Pending.
    /// </summary>
    public IReadOnlyList<string> SuiteImages { get; init; } = ["ghcr.io/tunneloperator/tunneloperator", "tunneloperator:*"];

    /// <summary>
    /// The programs in the suite image, by the name a container's <c>command[0]</c> uses (a path's file name
    /// counts: <c>/usr/local/bin/tunneld</c> is <c>tunneld</c>). Relative paths are resolved against the
    /// repository root (the directory holding <c>TunnelOperator.sln</c>, searched upwards from the working
    /// directory and from the running executable), then next to the running executable.
    /// </summary>
    public IReadOnlyDictionary<string, string> Programs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tunneld"] = "bin/tunneld",
        ["tunnelctl"] = "bin/tunnelctl",
    };

    /// <summary>The program a container without <c>command</c> runs (the image's entrypoint).</summary>
    public string Entrypoint { get; init; } = "tunneld";

    /// <summary>Pod IPs come from here (the node's podCIDR); it must be loopback.</summary>
    public string PodCidr { get; init; } = "127.244.0.0/16";

    /// <summary>The node every Pod is bound to (<c>spec.nodeName</c>).</summary>
    public string NodeName { get; init; } = "tunneld-local";

    /// <summary>The node's address: <c>status.hostIP</c> of Pods, and where NodePort Services listen.</summary>
    public string NodeAddress { get; init; } = "127.0.0.1";

    /// <summary>Where LoadBalancer Services listen on their ports, and their <c>status.loadBalancer.ingress</c>.</summary>
    public string LoadBalancerAddress { get; init; } = "127.0.0.1";

    /// <summary>The first CrashLoopBackOff delay (kubelet: 10 s); it doubles per restart.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest CrashLoopBackOff delay (kubelet: 5 min).</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A container that ran this long starts its backoff over (kubelet: 10 min).</summary>
    public TimeSpan BackoffReset { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long processes get after SIGTERM when the runner itself stops, before SIGKILL.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Environment variables of the runner's own process that containers inherit (a container otherwise sees
    /// only what its Pod declares, the service links, HOME, HOSTNAME and TUNNELOP_HOSTS_FILE).
    /// </summary>
    public IReadOnlyList<string> InheritedEnvironment { get; init; } = ["PATH", "LANG", "TZ", "DOTNET_ROOT", "SSL_CERT_FILE", "SSL_CERT_DIR"];
}
