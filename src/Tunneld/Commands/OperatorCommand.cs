using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers.Leadership;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Operator.Hosting;
using TunnelOperator.Protocol.Diagnostics;

namespace Tunneld.Commands;

/// <summary>
/// <c>tunneld operator</c>: run the EdgeNode and Tunnel controllers against a cluster until SIGTERM.
/// The API server comes from <c>--kubeconfig</c>, else <c>KUBECONFIG</c>, else the pod's service account,
/// else <c>~/.kube/config</c> (controller-runtime's order).
/// </summary>
internal static class OperatorCommand
{
    public static Command Create()
    {
        var kubeconfig = EnvOption.String("--kubeconfig", "TUNNELD_KUBECONFIG", "kubeconfig file (default: KUBECONFIG, else in-cluster, else ~/.kube/config)");
        var leaderElect = EnvOption.Create("--leader-elect", "TUNNELD_LEADER_ELECT", "Run the controllers only while holding the Lease, so replicas can stand by", bool.Parse, false);
        var leaseNamespace = EnvOption.String("--leader-election-namespace", "TUNNELD_LEADER_ELECTION_NAMESPACE", "Namespace of the leader election Lease (default: $POD_NAMESPACE, else tunneloperator-system)",
            OperatorFlags.FirstSet("POD_NAMESPACE") ?? "tunneloperator-system");
        var leaseName = EnvOption.String("--leader-election-id", "TUNNELD_LEADER_ELECTION_ID", "Name of the leader election Lease", "tunneloperator-leader");
        var gen0Budget = EnvOption.Create("--gen0-budget-mib", "TUNNELD_GEN0_BUDGET_MIB",
            "Collect gen0 after this many MiB of allocation, so the working set follows the live heap rather than the CPU cache size the runtime sizes gen0 by (0: the runtime's own budget)",
            text => Gen0Budget.Parse(text) >> 20, Gen0Budget.DefaultBytes >> 20);
        var flags = new OperatorFlags(":8080", ":8081");
        var command = new Command("operator", "Run the Kubernetes operator: EdgeNode and Tunnel controllers");
        foreach (var option in new Option[] { kubeconfig, leaderElect, leaseNamespace, leaseName, gen0Budget })
        {
            command.Options.Add(option);
        }

        flags.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            KubernetesClientConfiguration configuration;
            ControllerManagerOptions manager;
            long budgetBytes;
            try
            {
                budgetBytes = result.GetValue(gen0Budget) << 20;
                configuration = KubernetesClientConfiguration.Load(result.GetValue(kubeconfig));
                var (metrics, health) = flags.EndPoints(result);
                manager = new ControllerManagerOptions
                {
                    MetricsEndPoint = metrics,
                    HealthProbeEndPoint = health,
                    LeaderElection = result.GetValue(leaderElect)
                        ? new LeaderElectionOptions { LeaseName = result.GetValue(leaseName)!, LeaseNamespace = result.GetValue(leaseNamespace)! }
                        : null,
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KubeconfigException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }

            var options = new OperatorOptions { Image = result.GetValue(flags.Image)!, Namespace = result.GetValue(flags.Namespace) };
            using var budget = Gen0Budget.Start(budgetBytes);
            return await RunAsync(configuration, options, manager, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(KubernetesClientConfiguration configuration, OperatorOptions options, ControllerManagerOptions manager, CancellationToken ct)
    {
        using var loggers = ConsoleLogging.Create("TUNNELD_LOG");
        var logger = loggers.CreateLogger("tunneld.operator");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var client = new KubernetesClient(configuration, new KubernetesClientOptions { LoggerFactory = loggers });
        await using var host = OperatorHost.Create(client, options with { LoggerFactory = loggers }, manager with { LoggerFactory = loggers });
        logger.LogInformation("operator against {Server}; namespace {Namespace}; image {Image}; leader election {Election}",
            configuration.Server, options.Namespace ?? "(all)", options.Image, manager.LeaderElection is { } l ? $"{l.LeaseNamespace}/{l.LeaseName}" : "off");
        try
        {
            await host.StartAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException)
        {
            Console.Error.WriteLine($"error: the operator could not start: {e.Message}");
            return 1;
        }

        Console.Out.WriteLine("tunneld operator ready");
        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        logger.LogInformation("shutting down");
        await host.StopAsync(CancellationToken.None);
        return 0;
    }
}
