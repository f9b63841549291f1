using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Admin;
using TunnelOperator.Edge.Forwarding;
using TunnelOperator.Edge.FrontDoor;
using TunnelOperator.Edge.Sessions;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Edge.Tls;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;
using TunnelOperator.Telemetry;

namespace TunnelOperator.Edge.Hosting;

/// <summary>
/// A running edge: the public HTTP and HTTPS listeners (HTTPS also accepts agents, told apart
/// by ALPN), the agent control listener (<see cref="ControlPortListener"/>, our own socket and
/// TLS; its HTTP clients, the hub API, are handed to Kestrel), and the loopback admin listener.
/// </summary>
public sealed partial class EdgeServer : IAsyncDisposable
{
    private readonly WebApplication _public;
    private readonly WebApplication _admin;
    private readonly EdgeCertificates _certificates;
    private readonly PrometheusExporter _exporter;
    private readonly IDisposable? _otlp;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ListenOptions? _httpListen;
    private readonly ListenOptions? _httpsListen;
    private readonly ControlPortListener? _control;
    private readonly ListenOptions? _adminListen;
    private readonly ILogger _logger;
    private int _stopped;

    private EdgeServer(
        EdgeServices services, WebApplication publicApp, WebApplication adminApp, EdgeCertificates certificates,
        PrometheusExporter exporter, IDisposable? otlp, string adminToken, CancellationTokenSource stopping,
        ListenOptions? http, ListenOptions? https, ControlPortListener? control, ListenOptions? admin)
    {
        Services = services;
        _public = publicApp;
        _admin = adminApp;
        _certificates = certificates;
        _exporter = exporter;
        _otlp = otlp;
        AdminToken = adminToken;
        _stopping = stopping;
        _httpListen = http;
        _httpsListen = https;
        _control = control;
        _adminListen = admin;
        _logger = services.LoggerFactory.CreateLogger<EdgeServer>();
    }

    public EdgeServices Services { get; }
    public string AdminToken { get; }
    public string? CaCertificatePath => _certificates.CaCertificatePath;

    /// <summary>Bound addresses (the real ports when 0 was asked for).</summary>
    public IPEndPoint? HttpEndPoint => _httpListen?.IPEndPoint;
    public IPEndPoint? HttpsEndPoint => _httpsListen?.IPEndPoint;
    public IPEndPoint? ControlEndPoint => _control?.EndPoint;
    public IPEndPoint? AdminEndPoint => _adminListen?.IPEndPoint;

    public static async Task<EdgeServer> StartAsync(EdgeOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(options.DataDirectory);
        var store = await TunnelStore.OpenAsync(new StoreOptions
        {
            DataDirectory = options.DataDirectory,
            DatabaseUrl = options.DatabaseUrl,
            TimeProvider = time,
            LoggerFactory = loggerFactory,
        }, cancellationToken).ConfigureAwait(false);
        var certificates = EdgeCertificates.Load(options);
        var adminToken = AdminApi.LoadOrCreateToken(options);
        var stopping = new CancellationTokenSource();

        var services = new EdgeServices(options, store, loggerFactory, time);
        var meter = services.Metrics.Meter;
        // Beside our own meter, Kestrel's connection metrics of this edge's public server: they
        // count what Kestrel refuses before a request reaches the forwarder (kestrel.connection.duration
        // with error.type, e.g. invalid_request_headers for a 400, a 431, a bad request line).
        var publicMeters = new ScopedMeterFactory();
        var exporter = new PrometheusExporter(m => ReferenceEquals(m, meter)
            || (m.Name == KestrelMeterName && ReferenceEquals(m.Scope, publicMeters)));
        var otlp = TelemetrySetup.EnableOtlp(new TelemetryOptions
        {
            ServiceName = "tunneld",
            ServiceVersion = WireProtocol.ProgramVersion,
            OtlpEndpoint = options.OtlpEndpoint,
            ActivitySources = [TunnelTelemetry.EdgeActivitySourceName],
            Meters = [TunnelTelemetry.EdgeMeterName],
        });
        services.Metrics.StartSeries();

        var handler = new AgentConnectionHandler(services);
        var frontDoor = new FrontDoorMiddleware(services);
        var hub = new HubApi(services, options.L4.OperatorKey ?? OperatorKey.LoadOrCreate(options.DataDirectory));
        certificates.ExtraNames = frontDoor.IsTerminateName;
        ListenOptions? http = null, https = null, admin = null;
        var hubHandOff = new HandOffEndPoint("control");
        var control = options.ControlEndPoint is { } controlEndPoint
            ? ControlPortListener.Bind(controlEndPoint, certificates, handler, hubHandOff, loggerFactory)
            : null;

        var publicBuilder = WebApplication.CreateSlimBuilder();
        ConfigureCommon(publicBuilder, loggerFactory);
        publicBuilder.Services.AddSingleton<IConnectionListenerFactory, HandOffListenerFactory>();
        publicBuilder.Services.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(publicMeters);
        publicBuilder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 100;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 100;
            if (options.HttpEndPoint is { } httpEndPoint)
            {
                kestrel.Listen(httpEndPoint, lo =>
                {
                    http = lo;
                    lo.Protocols = HttpProtocols.Http1;
                    lo.Use(frontDoor.TrustedProxyOnly);
                });
            }

            if (options.HttpsEndPoint is { } httpsEndPoint)
            {
                kestrel.Listen(httpsEndPoint, lo =>
                {
                    https = lo;
                    lo.Protocols = HttpProtocols.Http1AndHttp2;
                    // The front door peeks the ClientHello first: tenant passthrough hostnames never reach TLS here.
                    lo.Use(frontDoor.BeforeTls);
                    lo.UseHttps(TlsOptions(certificates, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11, WireProtocol.Alpn], SslProtocols.Tls12 | SslProtocols.Tls13, frontDoor.AlpnFor));
                    lo.Use(next => connection => IsAgent(connection)
                        ? handler.HandleAsync(connection, stopping.Token)
                        : next(connection));
                    lo.Use(frontDoor.AfterTls);
                });
            }

            if (control is not null)
            {
                // Hub API clients of the control port, already through TLS there.
                kestrel.Listen(hubHandOff, lo =>
                {
                    lo.Protocols = HttpProtocols.Http1AndHttp2;
                    lo.Use(next => connection =>
                    {
                        connection.Features.Set(HubConnectionFeature.Instance);
                        return next(connection);
                    });
                });
            }
        });
        var publicApp = publicBuilder.Build();
        var forwarder = new HttpForwarder(services, stopping.Token);
        publicApp.MapWhen(HubApi.IsHubRequest, branch => branch.Run(hub.HandleAsync));
        publicApp.Run(forwarder.HandleAsync);

        var adminBuilder = WebApplication.CreateSlimBuilder();
        ConfigureCommon(adminBuilder, loggerFactory);
        adminBuilder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (options.AdminEndPoint is { } adminEndPoint)
            {
                kestrel.Listen(adminEndPoint, lo => admin = lo);
            }
        });
        var adminApp = adminBuilder.Build();
        AdminApi.Map(adminApp, services, exporter, adminToken);

        var server = new EdgeServer(services, publicApp, adminApp, certificates, exporter, otlp, adminToken, stopping, http, https, control, admin);
        await publicApp.StartAsync(cancellationToken).ConfigureAwait(false);
        control?.Start(stopping.Token);

        // Port 0 asks for a free port; public URLs must carry the one actually bound.
        services.Options = options with
        {
            HttpEndPoint = http?.IPEndPoint ?? options.HttpEndPoint,
            HttpsEndPoint = https?.IPEndPoint ?? options.HttpsEndPoint,
            ControlEndPoint = control?.EndPoint ?? options.ControlEndPoint,
        };
        if (options.AdminEndPoint is not null)
        {
            await adminApp.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        // Invites carry the agent endpoints edges record here (the first is also the hub URL).
        var advertised = options.L4.AdvertiseUrls.Count > 0 || control is null
            ? options.L4.AdvertiseUrls
            : [$"https://{options.BaseHost}:{control.EndPoint.Port}"];
        foreach (var url in advertised)
        {
            await services.Store.RecordEdgeAsync(url, cancellationToken).ConfigureAwait(false);
        }

        LogStarted(server._logger, options.BaseHost, http?.IPEndPoint, https?.IPEndPoint, control?.EndPoint, admin?.IPEndPoint);
        return server;
    }

    private const string KestrelMeterName = "Microsoft.AspNetCore.Server.Kestrel";

    private static void ConfigureCommon(WebApplicationBuilder builder, ILoggerFactory loggerFactory)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(new RequestQuietLoggerFactory(loggerFactory));
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
    }

    private static bool IsAgent(ConnectionContext connection)
    {
        var alpn = connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? default;
        if (!alpn.Span.SequenceEqual(WireProtocol.Alpn.Protocol.Span))
        {
            return false;
        }

        // Agents speak TLS 1.3 only, on either port.
        return connection.Features.Get<ITlsHandshakeFeature>()?.Protocol == SslProtocols.Tls13;
    }

    private static TlsHandshakeCallbackOptions TlsOptions(EdgeCertificates certificates, List<SslApplicationProtocol> alpn, SslProtocols protocols, Func<string?, List<SslApplicationProtocol>?>? alpnFor = null) => new()
    {
        HandshakeTimeout = TimeSpan.FromSeconds(10),
        OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificates.Select(context.ClientHelloInfo.ServerName),
            ApplicationProtocols = alpnFor?.Invoke(context.ClientHelloInfo.ServerName) ?? alpn,
            EnabledSslProtocols = protocols,
            ClientCertificateRequired = false,
        }),
    };

    /// <summary>
    /// Graceful stop (SIGTERM): stop accepting, cancel in-flight requests, tell every agent to
    /// go away (they reconnect to the next edge or to this one after its restart), and finish
    /// within <see cref="EdgeOptions.ShutdownTimeout"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        LogStopping(_logger, Services.Sessions.Count, Services.Registry.Count);
        using var deadline = new CancellationTokenSource(Services.Options.ShutdownTimeout);
        var stopPublic = _public.StopAsync(deadline.Token);
        if (_control is not null)
        {
            await _control.StopAcceptingAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Services.Sessions.Snapshot().Select(s => s.CloseAsync(CancelReason.Shutdown, "the edge is shutting down; reconnect"))).ConfigureAwait(false);
        await Services.L4.CloseSessionsAsync(CancelReason.Shutdown, "the edge is shutting down; reconnect").ConfigureAwait(false);
        try
        {
            await stopPublic.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _admin.StopAsync(CancellationToken.None).ConfigureAwait(false);
        LogStopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        await _public.DisposeAsync().ConfigureAwait(false);
        await _admin.DisposeAsync().ConfigureAwait(false);
        await Services.L4.DisposeAsync().ConfigureAwait(false);
        await Services.Store.DisposeAsync().ConfigureAwait(false);
        Services.Metrics.Dispose();
        _exporter.Dispose();
        _otlp?.Dispose();
        _certificates.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "edge for *.{BaseHost} listening: http {Http}, https {Https}, control {Control}, admin {Admin}")]
    private static partial void LogStarted(ILogger logger, string baseHost, IPEndPoint? http, IPEndPoint? https, IPEndPoint? control, IPEndPoint? admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: {Sessions} agent sessions, {Tunnels} tunnels")]
    private static partial void LogStopping(ILogger logger, int sessions, int tunnels);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped")]
    private static partial void LogStopped(ILogger logger);
}
