using System.Diagnostics;
using System.Threading.Channels;

namespace TunnelOperator.Mux.Tests.Interop;

/// <summary>
/// The hashicorp/yamux test peer (yamux-peer/main.go), built once per test run with
/// Debian's Go against Debian's yamux source, and run as a child process on loopback.
/// </summary>
internal sealed class YamuxPeer : IAsyncDisposable
{
    public const string GoPackage = "golang-go";
    public const string YamuxPackage = "golang-github-hashicorp-yamux-dev";
    private const string GoPath = "/usr/share/gocode";

    private static readonly Lazy<Task<string>> Binary = new(BuildAsync);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _transcript = [];

    private YamuxPeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, "out");
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, "err");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the peer printed so far, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return string.Join('\n', _transcript);
            }
        }
    }

    public static async Task<YamuxPeer> StartAsync(params string[] arguments)
    {
        var binary = await Binary.Value;
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

        return new YamuxPeer(Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}"));
    }

    /// <summary>Waits for the next stdout line that starts with <paramref name="prefix"/>.</summary>
    public async Task<string> ExpectLineAsync(string prefix)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(timeout.Token))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }

                if (line.StartsWith("FAIL", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        throw new Xunit.Sdk.XunitException($"the yamux peer did not print '{prefix}'. It printed:\n{Transcript}");
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private void OnLine(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        lock (_transcript)
        {
            _transcript.Add($"[{stream}] {line}");
        }

        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"[yamux-peer {stream}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished.
        }

        if (stream == "out")
        {
            _lines.Writer.TryWrite(line);
        }
    }

    /// <summary>
    /// Builds main.go in a temp dir, in GOPATH mode against Debian's packaged yamux source
    /// (no module download). Missing tools fail the test with the package to install.
    /// </summary>
    private static async Task<string> BuildAsync()
    {
        var go = FindGo() ?? throw new Xunit.Sdk.XunitException(
            $"the interop tests need the Go toolchain: install the Debian package {GoPackage} (apt-get install -y --no-install-recommends {GoPackage} {YamuxPackage})");
        if (!File.Exists(Path.Combine(GoPath, "src/github.com/hashicorp/yamux/session.go")))
        {
            throw new Xunit.Sdk.XunitException(
                $"the interop tests need the hashicorp/yamux source in {GoPath}: install the Debian package {YamuxPackage} (apt-get install -y --no-install-recommends {YamuxPackage})");
        }

        var work = Directory.CreateTempSubdirectory("yamux-peer-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp cleanup.
            }
        };
        var source = Path.Combine(AppContext.BaseDirectory, "Interop", "yamux-peer", "main.go");
        File.Copy(source, Path.Combine(work.FullName, "main.go"));
        var output = Path.Combine(work.FullName, "yamux-peer");
        var build = new ProcessStartInfo(go)
        {
            WorkingDirectory = work.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", "-o", output, "." })
        {
            build.ArgumentList.Add(argument);
        }

        build.Environment["GO111MODULE"] = "off";
        build.Environment["GOPATH"] = GoPath;
        build.Environment["GOCACHE"] = Path.Combine(work.FullName, "cache");
        build.Environment["GOFLAGS"] = string.Empty;
        build.Environment["GOPROXY"] = "off";
        build.Environment["HOME"] = work.FullName;
        using var process = Process.Start(build)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"go build of the yamux test peer failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return output;
    }

    private static string? FindGo()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/lib/go/bin")
            .Select(dir => Path.Combine(dir, "go"))
            .FirstOrDefault(File.Exists);
    }
}
