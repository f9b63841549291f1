using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Manager;

/// <summary>
/// The manager's plain-HTTP endpoints on Kestrel: liveness and readiness probes, Prometheus metrics.
/// One server per end point; probes and metrics share one when given the same fixed port (port 0
/// always picks a port of its own).
/// </summary>
internal sealed class ManagerEndpoints : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];

    public Uri? HealthProbeUrl { get; private set; }

    public Uri? MetricsUrl { get; private set; }

    public static async Task<ManagerEndpoints> StartAsync(
        IPEndPoint? probes,
        IPEndPoint? metrics,
        Func<HttpContext, Task> healthz,
        Func<HttpContext, Task> readyz,
        Func<HttpContext, Task> scrape,
        CancellationToken cancellationToken)
    {
        var endpoints = new ManagerEndpoints();
        try
        {
            if (probes is not null && metrics is not null && probes.Port != 0 && probes.Equals(metrics))
            {
                var url = await endpoints.ServeAsync(probes, app => { app.MapGet("/healthz", healthz); app.MapGet("/readyz", readyz); app.MapGet("/metrics", scrape); }, cancellationToken).ConfigureAwait(false);
                endpoints.HealthProbeUrl = endpoints.MetricsUrl = url;
                return endpoints;
            }

            if (probes is not null)
            {
                endpoints.HealthProbeUrl = await endpoints.ServeAsync(probes, app => { app.MapGet("/healthz", healthz); app.MapGet("/readyz", readyz); }, cancellationToken).ConfigureAwait(false);
            }

            if (metrics is not null)
            {
                endpoints.MetricsUrl = await endpoints.ServeAsync(metrics, app => app.MapGet("/metrics", scrape), cancellationToken).ConfigureAwait(false);
            }

            return endpoints;
        }
        catch
        {
            await endpoints.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _apps.Clear();
    }

    private async Task<Uri> ServeAsync(IPEndPoint endPoint, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint);
        });
        var app = builder.Build();
        map(app);
        _apps.Add(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var host = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : endPoint.Address;
        return new UriBuilder("http", host.ToString(), port).Uri;
    }
}
