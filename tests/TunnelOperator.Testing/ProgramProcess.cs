using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TunnelOperator.Testing;

/// <summary>
/// A real program under test: output is collected line by line so tests can wait for a
/// line to appear (a signal) instead of sleeping. Killed (with its children) on dispose.
/// Programs start in the repository root unless told otherwise, so relative paths such as
/// <c>bin/tunneld</c> and <c>config/samples</c> mean what they mean in the README.
/// </summary>
public sealed partial class ProgramProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Signal)> _waiters = [];
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProgramProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public Task<int> Exited => _exited.Task;

    public static ProgramProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new ProgramProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.OnLine(e.Data, "out");
        process.ErrorDataReceived += (_, e) => wrapper.OnLine(e.Data, "err");
        process.Exited += (_, _) => wrapper._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs a program to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        await using var process = Start(fileName, arguments, environment);
        var code = await process.Exited.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        await process.OutputDrained();
        return (code, process.Output);
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Waits until a line (already seen or yet to come) contains the text.</summary>
    public Task<string> WaitForLineAsync(string contains, TimeSpan? timeout = null, int skip = 0) =>
        WaitForLineAsync(line => line.Contains(contains, StringComparison.Ordinal), contains, timeout, skip);

    public async Task<string> WaitForLineAsync(Func<string, bool> match, string description, TimeSpan? timeout = null, int skip = 0)
    {
        var seen = 0;
        var signal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _lines)
            {
                if (match(line) && seen++ >= skip)
                {
                    return line;
                }
            }

            var remaining = skip - seen;
            var count = 0;
            _waiters.Add((line => match(line) && count++ >= remaining, signal));
        }

        // A bound, not a sleep: the line usually comes in well under a second. It is generous
        // because a 2-core CI machine running several test projects at once can be very slow.
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        Task finished;
        try
        {
            finished = await Task.WhenAny(signal.Task, _exited.Task.ContinueWith(_ => "", TaskScheduler.Default)).WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no line containing '{description}' within {limit.TotalSeconds:0} s. Output so far:\n{Output}");
        }

        if (finished == signal.Task)
        {
            return await signal.Task;
        }

        await OutputDrained();
        lock (_gate)
        {
            var late = _lines.Where(match).Skip(skip).FirstOrDefault();
            if (late is not null)
            {
                return late;
            }
        }

        throw new InvalidOperationException($"process exited ({_process.ExitCode}) before printing '{description}'. Output:\n{Output}");
    }

    /// <summary>Sends a POSIX signal (SIGTERM = 15, SIGINT = 2).</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    /// <summary>Peak resident set size (VmHWM) in bytes, read from /proc.</summary>
    public long PeakRssBytes() => ReadStatusKilobytes("VmHWM:") * 1024;

    public long RssBytes() => ReadStatusKilobytes("VmRSS:") * 1024;

    private long ReadStatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not found for process {_process.Id}");
    }

    private Task OutputDrained()
    {
        // WaitForExit() with no timeout also waits for the redirected streams to reach EOF.
        return Task.Run(() => _process.WaitForExit());
    }

    private void OnLine(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> fired = [];
        lock (_gate)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    fired.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in fired)
        {
            signal.TrySetResult(line);
        }

        _ = stream;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
