using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TunnelOperator.ControlPlane.Workloads.Logs;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>What to run for one container start.</summary>
internal sealed record LaunchSpec(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory);

/// <summary>
/// One run of a container as an OS process. It starts in a session and process group of its own
/// (through <c>setsid</c>), so stopping it signals everything it started, as stopping a container does: SIGTERM,
/// then SIGKILL once the grace period has passed; when the main process ends, whatever it left behind
/// is killed too. Its pid and start time go to a pid file so a runner that crashed can reap it on restart.
/// </summary>
internal sealed partial class ContainerProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
    private readonly Process _process;
    private readonly string _pidFile;
    private readonly Task _pump;
    private readonly Task<int> _exited;

    private readonly TimeProvider _time;

    private ContainerProcess(Process process, string pidFile, ContainerLogWriter log, TimeProvider time)
    {
        _process = process;
        _pidFile = pidFile;
        _time = time;
        Pid = process.Id;
        _pump = log.PumpAsync(process.StandardOutput.BaseStream, process.StandardError.BaseStream, CancellationToken.None);
        _exited = WaitAsync();
    }

    public int Pid { get; }

    /// <summary>The exit code (128 + signal for a process a signal ended), once the main process is gone.</summary>
    public Task<int> Exited => _exited;

    /// <summary>Starts the process or returns why it could not start (the runtime's StartError message).</summary>
    public static (ContainerProcess? Process, string? Error) Start(LaunchSpec spec, ContainerLogWriter log, string pidFile, TimeProvider time)
    {
        var start = new ProcessStartInfo(Setsid ?? spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory,
        };
        if (Setsid is not null)
        {
            start.ArgumentList.Add(spec.FileName);
        }

        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in spec.Environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (null, $"failed to start {spec.FileName}: {e.Message}");
        }

        process.StandardInput.Close();
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        File.WriteAllText(pidFile, $"{process.Id} {StartTime(process.Id)}");
        return (new ContainerProcess(process, pidFile, log, time), null);
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        var code = _process.ExitCode;

        // The container ends with its main process: nothing it started may linger holding the pod's ports.
        Signal(SigKill);
        try
        {
            File.Delete(_pidFile);
        }
        catch (IOException)
        {
        }

        // Output still buffered in the pipes is logged; a process that escaped the group (its own setsid) and
        // keeps them open does not hold the container's end.
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(2), _time);
        }
        catch (TimeoutException)
        {
        }

        return code;
    }

    /// <summary>SIGTERM to the group, SIGKILL after <paramref name="grace"/> on <paramref name="time"/>; completes when the process is gone.</summary>
    public async Task<int> TerminateAsync(TimeSpan grace, TimeProvider time)
    {
        if (!_exited.IsCompleted)
        {
            Signal(grace <= TimeSpan.Zero ? SigKill : SigTerm);
            try
            {
                await _exited.WaitAsync(grace <= TimeSpan.Zero ? TimeSpan.FromSeconds(5) : grace, time);
            }
            catch (TimeoutException)
            {
                Signal(SigKill);
            }
        }

        return await _exited;
    }

    private void Signal(int signal)
    {
        if (Setsid is not null)
        {
            _ = Kill(-Pid, signal);
        }

        if (!_process.HasExited)
        {
            if (signal == SigKill)
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            }
            else
            {
                _ = Kill(Pid, signal);
            }
        }
    }

    /// <summary>Kills the process group a pid file names if that process (same pid and start time) still runs.</summary>
    public static void ReapLeftover(string pidFile)
    {
        try
        {
            var parts = File.ReadAllText(pidFile).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && StartTime(pid) == parts[1])
            {
                _ = Kill(-pid, SigKill);
                _ = Kill(pid, SigKill);
            }

            File.Delete(pidFile);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat (start time in clock ticks since boot): with the pid, it names one process.</summary>
    private static string StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_exited.IsCompleted)
        {
            Signal(SigKill);
        }

        try
        {
            await _exited;
        }
        finally
        {
            _process.Dispose();
        }
    }
}
