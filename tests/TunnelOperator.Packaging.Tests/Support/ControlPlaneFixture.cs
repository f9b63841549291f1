using System.Net;
using TunnelOperator.ControlPlane;
using TunnelOperator.Testing;

namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>
/// Our local control plane (the only Kubernetes API server that can be had here) on a free loopback port,
/// with no workload runner: installed Deployments are stored, not run.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("packaging-plane-").FullName;
    private LocalControlPlane? _plane;

    public string Kubeconfig => _plane?.KubeconfigPath ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _plane = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions
        {
            DataDirectory = _directory,
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        }, TestContext.Current.CancellationToken);
    }

    /// <summary>kubectl 1.33 against this plane (a missing kubectl fails the test).</summary>
    internal Kubectl Kubectl() => new(new KubectlRunner(RequiredTool.Kubectl(RequiredTool.Kubectls[0]), Kubeconfig));

    public async ValueTask DisposeAsync()
    {
        if (_plane is not null)
        {
            await _plane.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleanup.
        }
    }
}
