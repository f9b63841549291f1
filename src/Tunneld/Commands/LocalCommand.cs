using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane;
using TunnelOperator.ControlPlane.Workloads;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Operator.Hosting;
using TunnelOperator.Protocol.Diagnostics;
using TunnelOperator.Protocol.Networking;

namespace Tunneld.Commands;

/// <summary>
/// <c>tunneld local</c>: the whole suite with no cluster. Starts the local Kubernetes-API control plane
/// (state in <c>--data-dir</c>, kubeconfig at <c>--kubeconfig</c>), its workload runner (Deployments of the
/// suite image as local processes, Services on loopback addresses from 127.96.0.0/16, LoadBalancers on
/// 127.0.0.1), installs the CRDs, and runs the operator in-process; then prints what to do next.
/// </summary>
internal static class LocalCommand
{
    /// <summary>Service clusterIPs the loopback kube-proxy can listen on.</summary>
    public const string ServiceCidr = "127.96.0.0/16";

    /// <summary>Pod IPs: each Pod's processes bind their own loopback address.</summary>
    public const string PodCidr = "127.244.0.0/16";

    public static Command Create()
    {
        var dataDir = EnvOption.String("--data-dir", "TUNNELD_LOCAL_DATA_DIR", "Control plane state: SQLite store, CA, pods' directories", ".local/control-plane");
        var addr = EnvOption.String("--addr", "TUNNELD_LOCAL_ADDR", "Kubernetes API listener", "127.0.0.1:6443");
        var kubeconfig = EnvOption.String("--kubeconfig", "TUNNELD_LOCAL_KUBECONFIG", "Where to write the admin kubeconfig", ".local/kubeconfig");
        var serviceCidr = EnvOption.String("--service-cidr", "TUNNELD_LOCAL_SERVICE_CIDR", "Loopback range for Service clusterIPs", ServiceCidr);
        var podCidr = EnvOption.String("--pod-cidr", "TUNNELD_LOCAL_POD_CIDR", "Loopback range for Pod IPs", PodCidr);
        var loadBalancer = EnvOption.String("--load-balancer-address", "TUNNELD_LOCAL_LOAD_BALANCER_ADDRESS", "Loopback address LoadBalancer Services listen on", "127.0.0.1");
        var noWorkloads = new Option<bool>("--no-workloads") { Description = "Do not run Deployments as local processes (the API only)" };
        var noOperator = new Option<bool>("--no-operator") { Description = "Do not run the operator in-process (run 'tunneld operator --kubeconfig ...' yourself)" };
        var flags = new OperatorFlags("127.0.0.1:8080", "127.0.0.1:8081");
        var command = new Command("local", "Run a local Kubernetes-API control plane, its workload runner and the operator: the suite with no cluster");
        foreach (var option in new Option[] { dataDir, addr, kubeconfig, serviceCidr, podCidr, loadBalancer, noWorkloads, noOperator })
        {
            command.Options.Add(option);
        }

        flags.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            LocalControlPlaneOptions plane;
            ControllerManagerOptions manager;
            try
            {
                var endPoint = Endpoints.Parse(result.GetValue(addr), "--addr") ?? throw new ArgumentException("--addr cannot be 'off'");
                var (metrics, health) = flags.EndPoints(result);
                plane = new LocalControlPlaneOptions
                {
                    DataDirectory = Path.GetFullPath(result.GetValue(dataDir)!),
                    EndPoint = endPoint,
                    KubeconfigPath = Path.GetFullPath(result.GetValue(kubeconfig)!),
                    ServiceCidr = LoopbackCidr(result.GetValue(serviceCidr)!, "--service-cidr"),
                    RunWorkloads = !result.GetValue(noWorkloads),
                    Workloads = new WorkloadRunnerOptions
                    {
                        PodCidr = LoopbackCidr(result.GetValue(podCidr)!, "--pod-cidr"),
                        LoadBalancerAddress = LoopbackAddress(result.GetValue(loadBalancer)!, "--load-balancer-address"),
                    },
                };
                manager = new ControllerManagerOptions { MetricsEndPoint = metrics, HealthProbeEndPoint = health };
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }

            var options = new OperatorOptions { Image = result.GetValue(flags.Image)!, Namespace = result.GetValue(flags.Namespace) };
            return await RunAsync(plane, result.GetValue(noOperator) ? null : options, manager, result.GetValue(kubeconfig)!, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(LocalControlPlaneOptions planeOptions, OperatorOptions? operatorOptions, ControllerManagerOptions manager, string kubeconfigShown, CancellationToken ct)
    {
        using var loggers = ConsoleLogging.Create("TUNNELD_LOG");
        var logger = loggers.CreateLogger("tunneld.local");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        LocalControlPlane plane;
        try
        {
            plane = await LocalControlPlane.StartAsync(planeOptions with { LoggerFactory = loggers }, stop.Token);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"error: the local control plane could not start: {e.Message}");
            return 1;
        }

        await using (plane)
        {
            using var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(plane.KubeconfigPath), new KubernetesClientOptions { LoggerFactory = loggers });
            OperatorHost? host = null;
            try
            {
                await CrdInstaller.InstallAsync(client, stop.Token);
                if (operatorOptions is not null)
                {
                    // The operator runs here, not as a Pod, so it reads the runner's hosts file directly.
                    var hosts = new HostsOverride(Path.Combine(planeOptions.DataDirectory, "hosts"));
                    host = OperatorHost.Create(client, operatorOptions with { Hosts = hosts, LoggerFactory = loggers }, manager with { LoggerFactory = loggers });
                    await host.StartAsync(stop.Token);
                }

                PrintNextSteps(plane, planeOptions, kubeconfigShown, host is not null);
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                logger.LogInformation("shutting down");
                if (host is not null)
                {
                    await host.StopAsync(CancellationToken.None);
                    await host.DisposeAsync();
                }
            }
        }

        return 0;
    }

    private static string LoopbackCidr(string value, string flag)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !int.TryParse(value.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits) || bits is < 8 or > 30)
        {
            throw new ArgumentException($"{flag} '{value}' is not a CIDR range with a /8 to /30 prefix, such as 127.96.0.0/16");
        }

        LoopbackAddress(value[..slash], flag);
        return value;
    }

    private static string LoopbackAddress(string value, string flag)
    {
        if (!System.Net.IPAddress.TryParse(value, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !System.Net.IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"{flag} '{value}' must be an IPv4 loopback address (127.0.0.0/8): tunneld local serves everything on this machine only");
        }

        return value;
    }

    private static void PrintNextSteps(LocalControlPlane plane, LocalControlPlaneOptions options, string kubeconfig, bool operatorRuns)
    {
        var k = $"kubectl --kubeconfig {kubeconfig}";
        var workloads = options.RunWorkloads
            ? $"Deployments of the suite image run as local processes (Pods on {options.Workloads.PodCidr}), Services on {options.ServiceCidr}, LoadBalancers on {options.Workloads.LoadBalancerAddress}"
            : "off (--no-workloads)";
        var lines = new List<string>
        {
            $"tunneld local ready: Kubernetes API on {plane.Url} (kubeconfig {kubeconfig})",
            $"  operator: {(operatorRuns ? "running in this process" : "not running (--no-operator)")}; workloads: {workloads}",
            "",
            "next, in another terminal:",
            $"  {k} apply -f config/samples/",
            $"  {k} wait --for=condition=Ready tunnel/web --timeout=120s",
            $"  {k} get tunnels                         # NAME, URL, READY, REASON, AGE",
            $"  {k} get secret edge-ca -o jsonpath='{{.data.ca\\.crt}}' | base64 -d > .local/edge-ca.crt",
            $"  curl --cacert .local/edge-ca.crt \"$({k} get tunnel web -o jsonpath='{{.status.publicURL}}')\"",
            "",
            "Ctrl-C stops everything; state stays in the data directory for the next start.",
        };
        Console.Out.WriteLine(string.Join('\n', lines));
        Console.Out.Flush();
    }
}
