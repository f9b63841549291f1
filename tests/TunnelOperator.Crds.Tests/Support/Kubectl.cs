using System.Diagnostics;

namespace TunnelOperator.Crds.Tests.Support;

/// <summary>
/// Runs the real kubectl for what it can do without a cluster. Its kubeconfig points at a file
/// that does not exist, so no command can reach an API server by accident.
/// </summary>
internal static class Kubectl
{
    /// <summary>The default kubectl and the newest one the machine image carries (DIRECTION.md).</summary>
    public static IReadOnlyList<string> Binaries { get; } = ["/usr/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"];

    public static async Task<string> RunAsync(string binary, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} is missing: the machine image ships kubectl 1.27-1.33 (see DIRECTION.md)");
        }

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "no-such-kubeconfig");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {binary}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
