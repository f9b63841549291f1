using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace TunnelOperator.Testing;

/// <summary>The outcome of one kubectl run: exit code and what it printed on each stream.</summary>
public sealed record KubectlResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// Runs a real kubectl binary against one kubeconfig, each invocation with its own discovery cache
/// directory so parallel runs never share cached discovery of another server.
/// </summary>
public sealed class KubectlRunner
{
    /// <summary>kubectl 1.33 from the Cloud SDK bundle, and the machine's default (1.32).</summary>
    public static readonly IReadOnlyList<string> KnownBinaries = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.33", "/usr/bin/kubectl"];

    private readonly string _binary;
    private readonly string _kubeconfig;
    private readonly string _cacheDir;

    public KubectlRunner(string binary, string kubeconfig)
    {
        _binary = binary;
        _kubeconfig = kubeconfig;
        _cacheDir = Path.Combine(Path.GetTempPath(), "kubectl-cache-" + Guid.NewGuid().ToString("n"));
    }

    public string Binary => _binary;

    /// <summary>
    /// Why a binary cannot be used, or null when it can. Tests report this as a failure under CI
    /// (CI=true) so a missing kubectl never passes silently.
    /// </summary>
    public static string? Unavailable(string binary) =>
        File.Exists(binary) ? null : $"kubectl not found at {binary}: install kubectl (the machine image ships 1.27–1.33 in /usr/lib/google-cloud-sdk/bin)";

    public async Task<KubectlResult> RunAsync(IEnumerable<string> arguments, CancellationToken ct, string? standardInput = null)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), ct).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new KubectlResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public Task<KubectlResult> RunAsync(params string[] arguments) => RunAsync(arguments, CancellationToken.None);

    /// <summary>Starts a long-running kubectl (<c>get -w</c>) whose output lines arrive as they are printed.</summary>
    public KubectlProcess StartStreaming(IEnumerable<string> arguments)
    {
        var process = Start(arguments);
        process.StandardInput.Close();
        return new KubectlProcess(process);
    }

    private Process Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(_cacheDir);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        start.Environment.Remove("KUBECONFIG");
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {_binary}");
    }
}

/// <summary>A running kubectl whose standard output is read line by line.</summary>
public sealed class KubectlProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();

    internal KubectlProcess(Process process)
    {
        _process = process;
        _ = PumpAsync();
        _ = Task.Run(async () =>
        {
            var text = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
            lock (_stderr)
            {
                _stderr.Append(text);
            }
        });
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits for the first line that satisfies <paramref name="match"/>; fails when output ends first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, CancellationToken ct)
    {
        await foreach (var line in _lines.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (match(line))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"kubectl ended before the expected line; stderr: {StandardError}");
    }

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            await _lines.Writer.WriteAsync(line).ConfigureAwait(false);
        }

        _lines.Writer.TryComplete();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
