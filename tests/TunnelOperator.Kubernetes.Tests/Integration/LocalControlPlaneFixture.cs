using System.Net;
using TunnelOperator.ControlPlane;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Kubernetes.Tests.Integration;

/// <summary>
/// The product's local control plane on loopback (port 0) in a fresh directory, and a client
/// configured from the admin kubeconfig it writes: the same path a user of <c>make run</c> takes.
/// </summary>
public sealed class LocalControlPlaneFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "k8s-client-cp-" + Guid.NewGuid().ToString("N"));

    public LocalControlPlane Plane { get; private set; } = null!;

    public KubernetesClient Client { get; private set; } = null!;

    public static Task<LocalControlPlane> StartAsync(string directory, int watchCacheCapacity = 10_000) =>
        LocalControlPlane.StartAsync(new LocalControlPlaneOptions
        {
            DataDirectory = directory,
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            WatchCacheCapacity = watchCacheCapacity,
        }, TestContext.Current.CancellationToken);

    public async ValueTask InitializeAsync()
    {
        Plane = await StartAsync(_directory);
        Client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(Plane.KubeconfigPath));
    }

    /// <summary>A namespace of the test's own, so tests sharing the plane never see each other's objects.</summary>
    public async Task<string> NamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..12];
        await Client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, cancellationToken: TestContext.Current.CancellationToken);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
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
    }
}
