using System.Diagnostics;

namespace TunnelOperator.Crds.Tests.Support;

/// <summary>
/// Runs the real kubectl. Without a kubeconfig it points at a file that does not exist, so a
/// command meant to work offline cannot reach an API server by accident.
/// </summary>
internal static class Kubectl
{
    /// <summary>The default kubectl and the newest one the machine image carries (DIRECTION.md).</summary>
    public static IReadOnlyList<string> Binaries { get; } = ["/usr/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"];

    public static async Task<string> RunAsync(string binary, IReadOnlyList<string> arguments, CancellationToken ct, string? kubeconfig = null)
    {
        var (exitCode, output, error) = await TryRunAsync(binary, arguments, ct, kubeconfig);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{binary} {string.Join(' ', arguments)} exited {exitCode}: {error}");
        }

        return output;
    }

    /// <summary>Runs kubectl against <paramref name="kubeconfig"/> (none when null) and returns what it said.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string binary, IReadOnlyList<string> arguments, CancellationToken ct, string? kubeconfig = null)
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

        start.Environment["KUBECONFIG"] = kubeconfig ?? Path.Combine(Path.GetTempPath(), "no-such-kubeconfig");
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

        return (process.ExitCode, await output, await error);
    }
}
