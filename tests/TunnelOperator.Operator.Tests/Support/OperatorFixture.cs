using System.Diagnostics;
using System.Net;
using System.Text;
using TunnelOperator.ControlPlane;
using TunnelOperator.ControlPlane.Workloads;
using TunnelOperator.Controllers.Leadership;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.EdgeAdmin;
using TunnelOperator.Operator.EdgeNodes;
using TunnelOperator.Operator.Hosting;
using TunnelOperator.Protocol.Networking;
using TunnelOperator.Testing;

namespace TunnelOperator.Operator.Tests.Support;

/// <summary>
/// The real local control plane with its workload runner, which runs the real bin/tunneld and
/// bin/tunnelctl as pods, with the CRDs installed from the generator: one per test class, on loopback
/// ranges of its own (services 127.(110+k).0.0/16, pods 127.(160+k).0.0/16, node 127.(210+k).0.1) so
/// classes run in parallel. Load balancers listen on 127.0.0.1 at ports the tests pick free. Tests keep
/// apart by namespace and start their own operators (disposed with the fixture).
/// </summary>
public sealed class OperatorFixture : IAsyncLifetime
{
    public const string Kubectl133 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
    public const string BaseHost = "tunnels.localhost";
    private static int _next = Environment.ProcessId % 40;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "operator-e2e-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<OperatorHost> _operators = [];
    private readonly List<IDisposable> _disposables = [];

    public LocalControlPlane Plane { get; private set; } = null!;

    public KubernetesClient Client { get; private set; } = null!;

    /// <summary>The runner's hosts file: how the in-process operator and the tests reach cluster Service names.</summary>
    public HostsOverride Hosts { get; private set; } = null!;

    public KubectlRunner Kubectl { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _ = RepoPaths.Tunneld; // fail early and clearly when bin/ was not built
        _ = RepoPaths.Tunnelctl;
        if (KubectlRunner.Unavailable(Kubectl133) is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        var k = Interlocked.Increment(ref _next) % 40;
        Plane = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions
        {
            DataDirectory = _directory,
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ServiceCidr = $"127.{110 + k}.0.0/16",
            RunWorkloads = true,
            Workloads = new WorkloadRunnerOptions
            {
                PodCidr = $"127.{160 + k}.0.0/16",
                NodeAddress = $"127.{210 + k}.0.1",
                BackoffInitial = TimeSpan.FromMilliseconds(500),
                BackoffMax = TimeSpan.FromSeconds(2),
                ShutdownGracePeriod = TimeSpan.FromSeconds(3),
            },
        });
        Client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(Plane.KubeconfigPath));
        Hosts = new HostsOverride(Path.Combine(_directory, "hosts"));
        Kubectl = new KubectlRunner(Kubectl133, Plane.KubeconfigPath);
        await CrdInstaller.InstallAsync(Client, TestContext.Current.CancellationToken);
    }

    /// <summary>A namespace of the test's own.</summary>
    public async Task<string> NamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, cancellationToken: TestContext.Current.CancellationToken);
        return name;
    }

    /// <summary>
    /// Starts an operator in this process, as <c>tunneld local</c> does, limited to <paramref name="ns"/>
    /// and looking again at objects every second or two (edges and agents are not watchable).
    /// </summary>
    public async Task<OperatorHost> StartOperatorAsync(
        string? ns,
        IKubernetesClient? client = null,
        Func<OperatorOptions, OperatorOptions>? configure = null,
        LeaderElectionOptions? election = null)
    {
        var options = new OperatorOptions
        {
            Namespace = ns,
            Hosts = Hosts,
            NotReadyRequeue = TimeSpan.FromSeconds(1),
            ReadyRequeue = TimeSpan.FromSeconds(2),
            EdgeSnapshotMaxAge = TimeSpan.FromMilliseconds(500),
        };
        var ownClient = client ?? NewClient();
        var host = OperatorHost.Create(ownClient, (configure ?? (o => o))(options), new ControllerManagerOptions
        {
            LeaderElection = election,
            GracefulShutdownTimeout = TimeSpan.FromSeconds(5),
        });
        lock (_operators)
        {
            _operators.Add(host);
        }

        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    /// <summary>A client of its own, as another replica would have.</summary>
    public KubernetesClient NewClient()
    {
        var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(Plane.KubeconfigPath));
        lock (_disposables)
        {
            _disposables.Add(client);
        }

        return client;
    }

    /// <summary>kubectl 1.33 in <paramref name="ns"/>; fails the test when it fails.</summary>
    public async Task<string> KubectlAsync(string ns, params string[] arguments) => await KubectlWithInputAsync(ns, null, arguments);

    public async Task<string> KubectlWithInputAsync(string ns, string? input, params string[] arguments)
    {
        var result = await Kubectl.RunAsync(["--namespace", ns, .. arguments], TestContext.Current.CancellationToken, input);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput;
    }

    public Task<string> ApplyAsync(string ns, string yaml) => KubectlWithInputAsync(ns, yaml, "apply", "-f", "-");

    /// <summary>An EdgeNode on free loopback ports (its LoadBalancer listens on 127.0.0.1 there).</summary>
    public async Task<EdgeAddress> ApplyEdgeAsync(string ns, string name, int replicas = 1)
    {
        var address = new EdgeAddress(name, FreePort.Next(), FreePort.Next(), FreePort.Next());
        await ApplyAsync(ns, $"""
            apiVersion: tunneloperator.io/v1alpha1
            kind: EdgeNode
            metadata:
              name: {name}
            spec:
              baseHost: {BaseHost}
              replicas: {replicas}
              ports:
                http: {address.HttpPort}
                https: {address.HttpsPort}
                control: {address.ControlPort}
                admin: 9090
              service:
                type: LoadBalancer
              store:
                type: sqlite
              tls:
                mode: selfSigned
            """);
        return address;
    }

    /// <summary>The sample origin: <c>tunneld echo</c> behind a Service with a named port http.</summary>
    public Task<string> ApplyEchoAsync(string ns, string name) => ApplyAsync(ns, $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: 1
          selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
            spec:
              containers:
              - name: echo
                image: ghcr.io/tunneloperator/tunneloperator:test
                command: ["tunneld"]
                args: ["echo", "--addr", "$(POD_IP):8080"]
                env:
                - name: POD_IP
                  valueFrom:
                    fieldRef:
                      fieldPath: status.podIP
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
        spec:
          selector: {"{"}app: {name}{"}"}
          ports:
          - name: http
            port: 80
            targetPort: 8080
        """);

    public static string TunnelYaml(string name, string edge, string service, string? tunnelName, int replicas = 1) => $"""
        apiVersion: tunneloperator.io/v1alpha1
        kind: Tunnel
        metadata:
          name: {name}
        spec:
          edgeRef:
            name: {edge}
          target:
            service:
              name: {service}
              port: http
          protocol: http
        {(tunnelName is null ? "" : $"  name: {tunnelName}\n")}  agent:
            replicas: {replicas}
        """;

    /// <summary>
    /// Waits until <paramref name="done"/> holds for the object (null: absent), checking at each watch
    /// event rather than on a timer.
    /// </summary>
    public async Task<T?> WaitForAsync<T>(string ns, string name, Func<T?, bool> done, string what, int seconds = 60)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        var resource = Client.Resource<T>(ns);
        var selector = $"metadata.name={name}";
        T? last = null;
        try
        {
            while (true)
            {
                var list = await resource.ListAsync(new ListOptions { FieldSelector = selector }, timeout.Token);
                last = list.Items.Count > 0 ? list.Items[0] : null;
                if (done(last))
                {
                    return last;
                }

                await foreach (var change in resource.WatchAsync(new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, FieldSelector = selector, TimeoutSeconds = 30 }, timeout.Token))
                {
                    if (change.Type is WatchEventType.Bookmark or WatchEventType.Error)
                    {
                        continue;
                    }

                    last = change.Type == WatchEventType.Deleted ? null : change.Object;
                    if (done(last))
                    {
                        return last;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var state = last is null ? "absent" : System.Text.Json.JsonSerializer.Serialize(last, T.JsonType);
            throw new TimeoutException($"{what}: not within {seconds} s; {T.Resource.Kind} {ns}/{name} is {state}");
        }
    }

    /// <summary>Waits until no object matches <paramref name="labelSelector"/>, following the watch.</summary>
    public async Task WaitForNoneAsync<T>(string ns, string labelSelector, string what, int seconds = 60)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        var resource = Client.Resource<T>(ns);
        HashSet<string> left = [];
        try
        {
            while (true)
            {
                var list = await resource.ListAsync(new ListOptions { LabelSelector = labelSelector }, timeout.Token);
                left = [.. list.Items.Select(i => i.Metadata.Name!)];
                if (left.Count == 0)
                {
                    return;
                }

                await foreach (var change in resource.WatchAsync(new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, LabelSelector = labelSelector, TimeoutSeconds = 30 }, timeout.Token))
                {
                    if (change.Object?.Metadata.Name is not { } name || change.Type is WatchEventType.Bookmark or WatchEventType.Error)
                    {
                        continue;
                    }

                    if (change.Type == WatchEventType.Deleted)
                    {
                        left.Remove(name);
                    }
                    else
                    {
                        left.Add(name);
                    }

                    if (left.Count == 0)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{what}: {T.Resource.Kind}s {string.Join(", ", left)} still exist after {seconds} s");
        }
    }

    /// <summary>The edge's admin API, as the operator reaches it (its admin Service's cluster DNS name).</summary>
    internal async Task<IEdgeAdminClient> EdgeAdminAsync(string ns, string edge)
    {
        var secret = await Client.Resource<Secret>(ns).GetAsync(EdgeNodeChildren.AdminTokenSecret(edge), TestContext.Current.CancellationToken);
        var factory = new EdgeAdminClientFactory(Hosts);
        lock (_disposables)
        {
            _disposables.Add(factory);
        }

        var node = await Client.Resource<Crds.EdgeNodes.EdgeNode>(ns).GetAsync(edge, TestContext.Current.CancellationToken);
        return factory.Create(EdgeNodeChildren.AdminEndpoint(node), EdgeNodePlanner.AdminTokenOf(secret)!);
    }

    /// <summary>curl, trusting only the edge's CA from its Secret; curl resolves *.localhost to loopback itself.</summary>
    public async Task<(int ExitCode, string Output)> CurlAsync(string ns, string edge, string url)
    {
        var secret = await Client.Resource<Secret>(ns).GetAsync(EdgeNodeChildren.CaSecret(edge), TestContext.Current.CancellationToken);
        var ca = Path.Combine(_directory, $"ca-{ns}-{edge}.crt");
        await File.WriteAllBytesAsync(ca, secret.Data!["ca.crt"], TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-sS", "--max-time", "10", "--cacert", ca, url })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        List<OperatorHost> operators;
        lock (_operators)
        {
            operators = [.. _operators];
        }

        foreach (var host in operators)
        {
            await host.DisposeAsync();
        }

        Client?.Dispose();
        lock (_disposables)
        {
            foreach (var disposable in _disposables)
            {
                disposable.Dispose();
            }
        }

        if (Plane is not null)
        {
            await Plane.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Where an EdgeNode of the tests listens on 127.0.0.1 (its LoadBalancer).</summary>
public sealed record EdgeAddress(string Name, int HttpPort, int HttpsPort, int ControlPort);
