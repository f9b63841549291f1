using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace TunnelOperator.Controllers.Manager;

/// <summary>
/// The manager's plain-HTTP endpoints on Kestrel: liveness and readiness probes, Prometheus metrics.
/// One server per end point; probes and metrics share one when given the same fixed port (port 0
/// always picks a port of its own). A bare <see cref="KestrelServer"/> with a fixed GET route table:
/// a WebApplication (host, configuration, routing, minimal-API delegates compiled from expressions)
/// cost the operator 19 MiB of RSS for three paths.
/// </summary>
internal sealed class ManagerEndpoints : IAsyncDisposable
{
    private readonly List<(KestrelServer Server, ServiceProvider Services)> _servers = [];

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
                var url = await endpoints.ServeAsync(probes, new() { ["/healthz"] = healthz, ["/readyz"] = readyz, ["/metrics"] = scrape }, cancellationToken).ConfigureAwait(false);
                endpoints.HealthProbeUrl = endpoints.MetricsUrl = url;
                return endpoints;
            }

            if (probes is not null)
            {
                endpoints.HealthProbeUrl = await endpoints.ServeAsync(probes, new() { ["/healthz"] = healthz, ["/readyz"] = readyz }, cancellationToken).ConfigureAwait(false);
            }

            if (metrics is not null)
            {
                endpoints.MetricsUrl = await endpoints.ServeAsync(metrics, new() { ["/metrics"] = scrape }, cancellationToken).ConfigureAwait(false);
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
        foreach (var (server, services) in _servers)
        {
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            server.Dispose();
            await services.DisposeAsync().ConfigureAwait(false);
        }

        _servers.Clear();
    }

    private async Task<Uri> ServeAsync(IPEndPoint endPoint, Dictionary<string, Func<HttpContext, Task>> routes, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = services };
        options.Listen(endPoint);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
        _servers.Add((server, services));
        await server.StartAsync(new Routes(routes), cancellationToken).ConfigureAwait(false);
        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var host = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : endPoint.Address;
        return new UriBuilder("http", host.ToString(), port).Uri;
    }

    /// <summary>GET on a known path runs its handler; another method there is 405, any other path 404 (as MapGet answers).</summary>
    private sealed class Routes(Dictionary<string, Func<HttpContext, Task>> routes) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context)
        {
            if (!routes.TryGetValue(context.Request.Path.Value ?? "", out var handler))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (!HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET";
                return Task.CompletedTask;
            }

            return handler(context);
        }

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
