using System.Net;
using TunnelOperator.ControlPlane;

namespace TunnelOperator.Crds.Tests.Support;

/// <summary>
/// Our local control plane on a free loopback port, with the CRDs applied by the real kubectl,
/// shared by the tests of one class.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("crds-controlplane-").FullName;
    private LocalControlPlane? _controlPlane;

    public string Kubeconfig => _controlPlane?.KubeconfigPath ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _controlPlane = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions
        {
            DataDirectory = _directory,
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        });
    }

    public Task<(int ExitCode, string Output, string Error)> KubectlAsync(params string[] arguments) =>
        Kubectl.TryRunAsync(Kubectl.Binaries[0], arguments, TestContext.Current.CancellationToken, Kubeconfig);

    public async ValueTask DisposeAsync()
    {
        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
