using System.Net;
using TunnelOperator.ControlPlane;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>A control plane on loopback (port 0) in a fresh data directory, with an admin API client.</summary>
public sealed class ControlPlaneHarness : IAsyncLifetime
{
    private readonly Func<LocalControlPlaneOptions, LocalControlPlaneOptions> _configure;

    public ControlPlaneHarness()
        : this(o => o)
    {
    }

    internal ControlPlaneHarness(Func<LocalControlPlaneOptions, LocalControlPlaneOptions> configure)
    {
        _configure = configure;
        DataDirectory = Path.Combine(Path.GetTempPath(), "tunneld-cp-" + Guid.NewGuid().ToString("n"));
    }

    public string DataDirectory { get; }

    public LocalControlPlane Plane { get; private set; } = null!;

    internal ApiClient Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() => await StartAsync();

    internal LocalControlPlaneOptions Options => _configure(new LocalControlPlaneOptions
    {
        DataDirectory = DataDirectory,
        EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        BookmarkInterval = TimeSpan.FromMilliseconds(300),
    });

    public async Task StartAsync()
    {
        Plane = await LocalControlPlane.StartAsync(Options, TestContext.Current.CancellationToken);
        Api = new ApiClient(Plane.Url, Plane.CaCertificate, Plane.AdminCertificate);
    }

    /// <summary>Stops and starts again on the same data directory (a new port).</summary>
    public async Task RestartAsync()
    {
        Api.Dispose();
        await Plane.StopAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (Plane is not null)
        {
            await Plane.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
