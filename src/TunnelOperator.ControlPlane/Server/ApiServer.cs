using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Auth;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// Kestrel on the control plane's endpoint: HTTPS only (TLS 1.2/1.3), HTTP/1.1 and HTTP/2 by ALPN, client
/// certificates requested but optional (a bearer token may authenticate instead; the dispatcher checks both).
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _time;

    private ApiServer(WebApplication app, Uri url, TimeProvider time)
    {
        _app = app;
        _time = time;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<ApiServer> StartAsync(LocalControlPlaneOptions options, CertificateAuthority ca, Func<RequestDispatcher> dispatcher, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options.LoggerFactory);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes + (1024 * 1024);
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(options.EndPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = ca.Serving,
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    // Checked per request against our CA by the authenticator, so a bad certificate yields a 401 Status, not a TLS failure.
                    ClientCertificateValidation = (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });

        var app = builder.Build();
        var handler = dispatcher();
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var host = options.EndPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : options.EndPoint.Address;
        var url = new UriBuilder("https", host.ToString(), port).Uri;
        return new ApiServer(app, url, options.Time);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
