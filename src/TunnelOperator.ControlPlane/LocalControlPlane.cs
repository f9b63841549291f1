using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Auth;
using TunnelOperator.ControlPlane.Builtins;
using TunnelOperator.ControlPlane.Discovery;
using TunnelOperator.ControlPlane.GarbageCollection;
using TunnelOperator.ControlPlane.Server;
using TunnelOperator.ControlPlane.Storage;
using TunnelOperator.ControlPlane.Workloads;

namespace TunnelOperator.ControlPlane;

/// <summary>
/// A Kubernetes-API-compatible control plane in one process: storage (SQLite), the API verbs and watch,
/// discovery and OpenAPI, CRDs, garbage collection, over HTTPS with client-certificate and token
/// authentication. The real kubectl works against it with the kubeconfig it writes. With
/// <see cref="LocalControlPlaneOptions.RunWorkloads"/>, the workload runner runs Deployments of the suite's
/// image as local processes on loopback addresses.
/// </summary>
public sealed class LocalControlPlane : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly GarbageCollector _collector;
    private readonly ApiServer _server;
    private readonly CertificateAuthority _ca;
    private readonly TimeProvider _time;
    private readonly WorkloadRunner? _runner;
    private int _stopped;

    private LocalControlPlane(ObjectStore store, GarbageCollector collector, ApiServer server, CertificateAuthority ca, TimeProvider time, string kubeconfigPath, WorkloadRunner? runner)
    {
        _store = store;
        _runner = runner;
        _collector = collector;
        _server = server;
        _ca = ca;
        _time = time;
        KubeconfigPath = kubeconfigPath;
    }

    /// <summary>https://127.0.0.1:PORT</summary>
    public Uri Url => _server.Url;

    /// <summary>The admin kubeconfig (client certificate of system:masters).</summary>
    public string KubeconfigPath { get; }

    public string CaCertificatePath => _ca.CertificatePath;

    /// <summary>The CA certificate, for clients that trust it explicitly.</summary>
    public X509Certificate2 CaCertificate => _ca.Certificate;

    /// <summary>The admin client certificate (with its key).</summary>
    public X509Certificate2 AdminCertificate => _ca.Admin;

    public static async Task<LocalControlPlane> StartAsync(LocalControlPlaneOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var loggers = options.LoggerFactory;
        var time = options.Time;
        var serviceCidr = Ipv4Cidr.Parse(options.ServiceCidr);
        var ca = CertificateAuthority.LoadOrCreate(options.DataDirectory, time, serviceCidr.At(1));
        var store = await ObjectStore.OpenAsync(Path.Combine(options.DataDirectory, "state.db"), options.WatchCacheCapacity, loggers.CreateLogger("ControlPlane.Storage"), ct);
        var registry = new ResourceRegistry();
        registry.Set("builtin", BuiltinResources.Create(store, time, serviceCidr));
        new CustomResourceDefinitions(registry, loggers.CreateLogger("ControlPlane.Crds")).Attach(store);
        var service = new ResourceService(store, registry, time);
        await Bootstrap.RunAsync(service, ct);
        var collector = new GarbageCollector(service, loggers.CreateLogger("ControlPlane.GarbageCollector"));
        collector.Start();
        var runner = options.RunWorkloads ? new WorkloadRunner(service, options, loggers) : null;

        Uri? url = null;
        var authenticator = new Authenticator(ca, new TokenFile(Path.Combine(options.DataDirectory, "tokens.csv")), time);
        var server = await ApiServer.StartAsync(options, ca, () => new RequestDispatcher(
            authenticator,
            new AllowAuthenticatedAuthorizer(),
            new DiscoveryHandler(registry, service, () => url is null ? options.EndPoint.ToString() : $"{url.Host}:{url.Port}"),
            new ResourceHandler(service, options, loggers.CreateLogger("ControlPlane.Resources"), runner?.Logs),
            options,
            loggers.CreateLogger("ControlPlane.Server")), ct);
        url = server.Url;

        var kubeconfig = Path.Combine(options.DataDirectory, "kubeconfig");
        Kubeconfig.Write(kubeconfig, server.Url, ca);
        if (options.KubeconfigPath is { } extra)
        {
            Kubeconfig.Write(extra, server.Url, ca);
        }

        var plane = new LocalControlPlane(store, collector, server, ca, time, options.KubeconfigPath ?? kubeconfig, runner);
        if (runner is not null)
        {
            try
            {
                await runner.StartAsync(server.Url, ct);
            }
            catch
            {
                await plane.StopAsync();
                throw;
            }
        }

        return plane;
    }

    /// <summary>A client certificate for another identity, signed by the control plane's CA.</summary>
    public X509Certificate2 IssueClientCertificate(string user, params string[] groups) => _ca.IssueClient(user, groups, _time);

    /// <summary>
    /// Every change committed from now on, in order, for components running in the same process. A
    /// consumer that falls more than 100,000 events behind is ended; it should relist and watch again.
    /// </summary>
    public async IAsyncEnumerable<ControlPlaneEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        using var feed = ChangeFeed.Open(_store);
        await foreach (var e in feed.ReadAllAsync(ct))
        {
            yield return e;
        }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            // Processes first: the runner still writes through the store while it stops them.
            if (_runner is not null)
            {
                await _runner.DisposeAsync();
            }
        }
        finally
        {
            await _server.DisposeAsync();
            await _collector.DisposeAsync();
            await _store.DisposeAsync();
            _ca.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
