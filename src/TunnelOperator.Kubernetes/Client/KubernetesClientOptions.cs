using System.Reflection;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>How the client behaves, apart from where it connects (that is <see cref="Config.KubernetesClientConfiguration"/>).</summary>
public sealed record KubernetesClientOptions
{
    /// <summary><c>tunneld/&lt;version&gt;</c>: the API server's audit log and metrics name callers by it.</summary>
    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary>
    /// The limit of one non-watch call, from sending to the last byte of the response. Watches have
    /// none: they are meant to stay open (see <see cref="WatchOptions.TimeoutSeconds"/>).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the client waits past a watch's <see cref="WatchOptions.TimeoutSeconds"/> before it ends the stream itself.</summary>
    public TimeSpan WatchTimeoutGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest single watch event or error body accepted; a larger one is a protocol error.</summary>
    public int MaxEventBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Clock for timeouts and token refresh; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }

    public static string DefaultUserAgent { get; } = "tunneld/" + Version();

    private static string Version()
    {
        var assembly = typeof(KubernetesClientOptions).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Drop the "+commit" build metadata: a User-Agent product version is a plain token.
        var version = informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return version;
    }
}
