using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge;
using TunnelOperator.Edge.Hosting;
using TunnelOperator.Protocol.Diagnostics;

namespace Tunneld.Commands;

/// <summary><c>tunneld serve</c>: run an edge until SIGTERM or Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var store = new StoreOptionsBinder();
        var baseHost = EnvOption.Create("--base-host", "TUNNELD_BASE_HOST", "Public hostnames are <subdomain>.<base-host>", v => v, "localhost");
        var httpAddr = EnvOption.String("--http-addr", "TUNNELD_HTTP_ADDR", "Public plain-HTTP listener ('off' to disable)", ":80");
        var httpsAddr = EnvOption.String("--https-addr", "TUNNELD_HTTPS_ADDR", "Public HTTPS listener; also accepts agents (ALPN)", ":443");
        var controlAddr = EnvOption.String("--control-addr", "TUNNELD_CONTROL_ADDR", "Dedicated agent control listener", ":7777");
        var adminAddr = EnvOption.String("--admin-addr", "TUNNELD_ADMIN_ADDR", "Admin API, metrics and health (keep it on loopback)", "127.0.0.1:9090");
        var tlsCert = EnvOption.String("--tls-cert", "TUNNELD_TLS_CERT", "PEM certificate to serve (otherwise a generated CA signs one)");
        var tlsKey = EnvOption.String("--tls-key", "TUNNELD_TLS_KEY", "PEM private key of --tls-cert");
        var tlsCaCert = EnvOption.String("--tls-ca-cert", "TUNNELD_TLS_CA_CERT", "Issue certificates from this PEM CA (shared by replicas, trusted by agents) instead of generating one");
        var tlsCaKey = EnvOption.String("--tls-ca-key", "TUNNELD_TLS_CA_KEY", "PEM private key of --tls-ca-cert");
        var tlsNames = EnvOption.String("--tls-names", "TUNNELD_TLS_NAMES", "Comma-separated extra names the CA issues for, e.g. the edge's in-cluster Service names");
        var maxConcurrent = EnvOption.Create("--max-concurrent", "TUNNELD_MAX_CONCURRENT", "In-flight requests per tunnel before 503", int.Parse, 256);
        var maxBody = EnvOption.Create("--max-request-body-bytes", "TUNNELD_MAX_REQUEST_BODY_BYTES", "Largest request body forwarded (0 = unlimited)", long.Parse, 100L * 1024 * 1024);
        var adminToken = EnvOption.String("--admin-token", "TUNNELD_ADMIN_TOKEN", "Bearer token for /admin/* (default: generated into <data-dir>/admin.token)");
        var publicPort = EnvOption.Create<int?>("--public-port", "TUNNELD_PUBLIC_PORT", "Port shown in public URLs (default: the HTTPS listener's)", v => int.Parse(v), null);
        var otlp = EnvOption.Create<Uri?>("--otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "Send traces and metrics over OTLP to this endpoint", v => new Uri(v), null);
        var recheck = EnvOption.Create("--token-recheck-seconds", "TUNNELD_TOKEN_RECHECK_SECONDS", "How often live sessions re-check that their token still exists", int.Parse, 15);
        var shutdown = EnvOption.Create("--shutdown-timeout-seconds", "TUNNELD_SHUTDOWN_TIMEOUT_SECONDS", "Longest graceful stop on SIGTERM", int.Parse, 5);
        var l4 = new L4Flags();

        var command = new Command("serve", "Run the edge: public HTTP(S), agent control plane, admin API");
        foreach (var option in new Option[] { baseHost, httpAddr, httpsAddr, controlAddr, adminAddr, tlsCert, tlsKey, tlsCaCert, tlsCaKey, tlsNames, maxConcurrent, maxBody, adminToken, publicPort, otlp, recheck, shutdown })
        {
            command.Options.Add(option);
        }

        l4.AddTo(command);
        store.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            EdgeOptions options;
            try
            {
                var storeOptions = store.Bind(result);
                var body = result.GetValue(maxBody);
                options = new EdgeOptions
                {
                    BaseHost = BaseHost(result.GetValue(baseHost)!),
                    HttpEndPoint = Endpoints.Parse(result.GetValue(httpAddr), "--http-addr"),
                    HttpsEndPoint = Endpoints.Parse(result.GetValue(httpsAddr), "--https-addr"),
                    ControlEndPoint = Endpoints.Parse(result.GetValue(controlAddr), "--control-addr"),
                    AdminEndPoint = Endpoints.Parse(result.GetValue(adminAddr), "--admin-addr"),
                    DataDirectory = storeOptions.DataDirectory,
                    DatabaseUrl = storeOptions.DatabaseUrl,
                    TlsCertificatePath = result.GetValue(tlsCert),
                    TlsKeyPath = result.GetValue(tlsKey),
                    TlsCaCertificatePath = result.GetValue(tlsCaCert),
                    TlsCaKeyPath = result.GetValue(tlsCaKey),
                    TlsNames = (result.GetValue(tlsNames) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    MaxConcurrentRequestsPerTunnel = Positive(result.GetValue(maxConcurrent), "--max-concurrent"),
                    MaxRequestBodyBytes = body <= 0 ? null : body,
                    AdminToken = result.GetValue(adminToken),
                    PublicPort = result.GetValue(publicPort),
                    OtlpEndpoint = result.GetValue(otlp),
                    TokenRecheckInterval = TimeSpan.FromSeconds(Positive(result.GetValue(recheck), "--token-recheck-seconds")),
                    ShutdownTimeout = TimeSpan.FromSeconds(Positive(result.GetValue(shutdown), "--shutdown-timeout-seconds")),
                    L4 = l4.Bind(result),
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }

            return await RunAsync(options, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(EdgeOptions options, CancellationToken ct)
    {
        using var loggerFactory = ConsoleLogging.Create("TUNNELD_LOG");
        var logger = loggerFactory.CreateLogger("tunneld");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        EdgeServer server;
        try
        {
            server = await EdgeServer.StartAsync(options, loggerFactory, cancellationToken: stop.Token);
        }
        catch (Exception e) when (e is IOException or System.Data.Common.DbException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            Console.Error.WriteLine($"error: the edge could not start: {e.Message}");
            return 1;
        }

        await using (server)
        {
            if (server.CaCertificatePath is { } ca)
            {
                logger.LogInformation("generated CA for clients to trust: {CaPath}", Path.GetFullPath(ca));
            }

            logger.LogInformation("admin API token: {TokenPath}", options.AdminToken is null ? Path.GetFullPath(Path.Combine(options.DataDirectory, "admin.token")) : "(from --admin-token)");
            Console.Out.WriteLine("tunneld ready");
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            logger.LogInformation("shutting down");
            await server.StopAsync();
        }

        return 0;
    }

    /// <summary>
    /// A DNS name: labels of letters, digits and inner hyphens, at most 63 characters each and
    /// 253 in all. No scheme, port or path, which would make every request's Host miss it.
    /// </summary>
    internal static string BaseHost(string value)
    {
        var host = value.Trim().TrimEnd('.').ToLowerInvariant();
        var labels = host.Split('.');
        var valid = host.Length is > 0 and <= 253 && labels.All(label =>
            label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label[0] != '-' && label[^1] != '-');
        return valid
            ? host
            : throw new ArgumentException($"--base-host '{value}' is not a DNS name: give the bare host the tunnels live under, e.g. tnl.example.com (no scheme, port or path)");
    }

    private static int Positive(int value, string flag) =>
        value > 0 ? value : throw new ArgumentException($"{flag} must be a positive number, not {value}");
}
