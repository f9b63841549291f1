using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet.Probes;

/// <summary>The outcome of one probe: success, or the failure message kubelet puts in its Unhealthy event.</summary>
internal readonly record struct ProbeResult(bool Success, string? Message)
{
    public static ProbeResult Ok { get; } = new(true, null);

    public static ProbeResult Failed(string message) => new(false, message);
}

/// <summary>Where and how a container's probes run: its Pod's IP, its ports by name, and its environment for exec.</summary>
internal sealed record ProbeTarget(string Host, IReadOnlyList<ContainerPort> Ports, LaunchSpec? Exec, Func<string, string?> ResolveProgram);

/// <summary>
/// Runs one probe as the kubelet's prober does: httpGet (2xx and 3xx succeed; HTTPS certificates are not
/// verified, as kubelet does not; redirects are not followed), tcpSocket (the connect succeeds), exec (exit
/// code 0; <c>command[0]</c> is a suite program or a program on PATH, run in the Pod's directory with the
/// container's environment). Every probe is bounded by timeoutSeconds.
/// </summary>
internal static class ProbeRunner
{
    // kubelet does not verify the certificates of HTTPS probes (it cannot know what a pod serves).
#pragma warning disable CA5359
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
#pragma warning restore CA5359

    public static async Task<ProbeResult> RunAsync(Probe probe, ProbeTarget target, TimeProvider time, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1)), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            if (probe.HttpGet is { } http)
            {
                return await HttpGetAsync(http, target, linked.Token);
            }

            if (probe.TcpSocket is { } tcp)
            {
                return await TcpAsync(tcp, target, linked.Token);
            }

            if (probe.Exec is { } exec)
            {
                return await ExecAsync(exec, target, linked.Token);
            }

            return ProbeResult.Failed("probe names no handler");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return ProbeResult.Failed($"timeout after {Math.Max(1, probe.TimeoutSeconds ?? 1)}s");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException or UriFormatException)
        {
            return ProbeResult.Failed(e.Message);
        }
    }

    private static int? Port(IntOrString? port, ProbeTarget target) => port switch
    {
        { IsInt: true } p => p.IntValue,
        { StringValue: { } name } => target.Ports.FirstOrDefault(p => p.Name == name)?.Port,
        _ => null,
    };

    private static async Task<ProbeResult> HttpGetAsync(HttpGetAction http, ProbeTarget target, CancellationToken ct)
    {
        if (Port(http.Port, target) is not { } port)
        {
            return ProbeResult.Failed($"port {http.Port} is not a port of the container");
        }

        var scheme = string.Equals(http.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var host = string.IsNullOrEmpty(http.Host) ? target.Host : http.Host;
        var path = string.IsNullOrEmpty(http.Path) ? "/" : http.Path.StartsWith('/') ? http.Path : "/" + http.Path;
        var uri = new Uri($"{scheme}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}{path}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("User-Agent", "kube-probe/1.33");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        foreach (var header in http.HttpHeaders ?? [])
        {
            if (header.Name is { } name)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, header.Value);
            }
        }

        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400 ? ProbeResult.Ok : ProbeResult.Failed($"HTTP probe failed with statuscode: {code}");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Failed($"Get \"{uri}\": {e.Message}");
        }
    }

    private static async Task<ProbeResult> TcpAsync(TcpSocketAction tcp, ProbeTarget target, CancellationToken ct)
    {
        if (Port(tcp.Port, target) is not { } port)
        {
            return ProbeResult.Failed($"port {tcp.Port} is not a port of the container");
        }

        var host = string.IsNullOrEmpty(tcp.Host) ? target.Host : tcp.Host;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port), ct);
            return ProbeResult.Ok;
        }
        catch (SocketException e)
        {
            return ProbeResult.Failed($"dial tcp {host}:{port}: connect: {e.Message}");
        }
    }

    private static async Task<ProbeResult> ExecAsync(ExecAction exec, ProbeTarget target, CancellationToken ct)
    {
        if (exec.Command is not { Count: > 0 } command || target.Exec is not { } context)
        {
            return ProbeResult.Failed("exec probe names no command");
        }

        var file = target.ResolveProgram(command[0]);
        if (file is null)
        {
            return ProbeResult.Failed($"exec: \"{command[0]}\": executable file not found in $PATH");
        }

        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = context.WorkingDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in context.Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = (await output) + (await errors);
        return process.ExitCode == 0 ? ProbeResult.Ok : ProbeResult.Failed(text.Trim() is { Length: > 0 } t ? t : $"command exited with {process.ExitCode}");
    }
}
