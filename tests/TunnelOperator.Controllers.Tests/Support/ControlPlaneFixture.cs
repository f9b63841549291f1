using System.Net;
using TunnelOperator.ControlPlane;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.ApiExtensions;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Support;

/// <summary>
/// The product's local control plane on loopback (port 0, fresh directory), with the Tunnel CRD
/// installed from its committed manifest, and a client from the admin kubeconfig it writes. One per
/// test class; tests keep apart by namespace.
/// </summary>
public class ControlPlaneFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "controllers-cp-" + Guid.NewGuid().ToString("N"));
    private readonly List<KubernetesClient> _clients = [];

    public LocalControlPlane Plane { get; private set; } = null!;

    public KubernetesClient Client { get; private set; } = null!;

    /// <summary>Events the in-memory watch log keeps; older resourceVersions get 410.</summary>
    protected virtual int WatchCacheCapacity => 10_000;

    /// <summary>The committed CRD manifests installed at start.</summary>
    protected virtual IReadOnlyList<string> Crds => ["tunneloperator.io_tunnels.yaml"];

    public async ValueTask InitializeAsync()
    {
        Plane = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions
        {
            DataDirectory = _directory,
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            WatchCacheCapacity = WatchCacheCapacity,
        });
        Client = NewClient();
        foreach (var crd in Crds)
        {
            await InstallCrdAsync(crd);
        }
    }

    /// <summary>Another client, as another replica would have (its own connections).</summary>
    public KubernetesClient NewClient()
    {
        var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(Plane.KubeconfigPath));
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>A namespace of the test's own.</summary>
    public async Task<string> NamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..12];
        await Client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, cancellationToken: TestContext.Current.CancellationToken);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
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

        GC.SuppressFinalize(this);
    }

    private async Task InstallCrdAsync(string fileName)
    {
        var manifest = CrdManifest.Load(fileName);
        var created = await Client.Dynamic(CustomResourceDefinition.Resource).CreateAsync(manifest);
        var name = (string)created["metadata"]!["name"]!;
        var crds = Client.Resource<CustomResourceDefinition>();
        static bool Established(CustomResourceDefinition? c) => c?.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true;
        var current = await crds.GetAsync(name);
        if (Established(current))
        {
            return;
        }

        await foreach (var e in crds.WatchAsync(new WatchOptions { ResourceVersion = current.Metadata.ResourceVersion, TimeoutSeconds = 30 }))
        {
            if (e.Object?.Metadata.Name == name && Established(e.Object))
            {
                return;
            }
        }

        throw new InvalidOperationException($"{name} never became Established");
    }
}

/// <summary>A control plane serving Tunnel and EdgeNode.</summary>
public sealed class TunnelAndEdgeFixture : ControlPlaneFixture
{
    protected override IReadOnlyList<string> Crds => ["tunneloperator.io_tunnels.yaml", "tunneloperator.io_edgenodes.yaml"];
}

/// <summary>A control plane whose watch log keeps only 50 events, so a watch that falls behind gets 410.</summary>
public sealed class SmallWatchCacheFixture : ControlPlaneFixture
{
    protected override int WatchCacheCapacity => 50;
}
