using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Workloads.Kubelet.Probes;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// One container of a Pod, for the Pod's lifetime: the kubelet's container loop.
/// <list type="number">
/// <item>prepare (program, env, args); a configuration error leaves it waiting (CreateContainerConfigError,
///   RunContainerError) and is retried on the next Pod sync or after the initial backoff;</item>
/// <item>start the process, log its output, run its probes (startup, then readiness and liveness);</item>
/// <item>on exit, record the terminated state; restart per restartPolicy (init containers until they
///   succeed), after the CrashLoopBackOff delay, counting restarts.</item>
/// </list>
/// </summary>
internal sealed partial class ContainerRunner : IDisposable
{
    private readonly IContainerHost _host;
    private readonly Container _spec;
    private readonly bool _init;
    private readonly TimeProvider _time;
    private readonly TimeSpan _configRetry;
    private readonly CrashLoopBackoff _backoff;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly AsyncSignal _wake = new();
    private readonly TaskCompletionSource<bool> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();
    private readonly int _initialRestarts;
    private readonly bool _ranBefore;
    private ContainerSnapshot _snapshot;
    private JsonObject? _lastTerminated;
    private ContainerProcess? _process;
    private bool _stopping;
    private Task _loop = Task.CompletedTask;

    /// <param name="previous">The container's status before this runner took over (a runner restart), or null.</param>
    /// <param name="waitingReason">What the container waits on before its first start (ContainerCreating, PodInitializing).</param>
    public ContainerRunner(IContainerHost host, Container spec, bool init, ContainerSnapshot? previous, string waitingReason, WorkloadRunnerOptions options, TimeProvider time, ILogger logger)
    {
        _host = host;
        _spec = spec;
        _init = init;
        _time = time;
        _logger = logger;
        _configRetry = options.BackoffInitial;
        _backoff = new CrashLoopBackoff(options.BackoffInitial, options.BackoffMax, options.BackoffReset);
        _initialRestarts = previous?.RestartCount ?? 0;
        _ranBefore = previous is not null && (previous.IsRunning || previous.IsTerminated || previous.LastState is not null);
        _lastTerminated = previous?.IsTerminated == true ? previous.State.DeepClone().AsObject() : previous?.LastState?.DeepClone().AsObject();
        _snapshot = new ContainerSnapshot(Name, spec.Image ?? "", ContainerSnapshot.Waiting(waitingReason),
            _lastTerminated, _initialRestarts, Ready: false, Started: false, ContainerId: null);
    }

    public string Name => _spec.Name ?? "";

    public ContainerSnapshot Snapshot
    {
        get
        {
            lock (_lock)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>For init containers: true once it succeeded, false when it failed for good or was stopped.</summary>
    public Task<bool> Completed => _completed.Task;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Retries a start that waits on configuration (a Secret or ConfigMap may have appeared).</summary>
    public void Wake() => _wake.Set();

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        var restarts = _initialRestarts;
        var ranBefore = _ranBefore;
        string? lastConfigError = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var (launch, reason, message) = _host.Prepare(_spec);
                    if (launch is null)
                    {
                        Update(ContainerSnapshot.Waiting(reason ?? "CreateContainerConfigError", message), ready: false, started: false, restarts, null);
                        if (message != lastConfigError)
                        {
                            lastConfigError = message;
                            await _host.EventAsync(true, Name, "Failed", $"Error: {message}");
                        }

                        await _wake.WaitAsync(_configRetry, _time, ct);
                        continue;
                    }

                    lastConfigError = null;
                    if (ranBefore)
                    {
                        restarts++;
                    }

                    ranBefore = true;
                    var (exitCode, startedAt, finishedAt) = await RunOnceAsync(launch, restarts, ct);
                    if (_stopping)
                    {
                        break;
                    }

                    var restart = _init
                        ? exitCode != 0 && _host.RestartPolicy != "Never"
                        : _host.RestartPolicy == "Always" || (_host.RestartPolicy == "OnFailure" && exitCode != 0);
                    if (!restart)
                    {
                        _completed.TrySetResult(exitCode == 0);
                        return;
                    }

                    var delay = _backoff.Next(finishedAt - startedAt);
                    if (delay > TimeSpan.Zero)
                    {
                        Update(ContainerSnapshot.Waiting("CrashLoopBackOff", $"back-off {GoDuration(delay)} restarting failed container={Name} pod={_host.PodRef}"),
                            ready: false, started: false, restarts, null);
                        await _host.EventAsync(true, Name, "BackOff", $"Back-off restarting failed container {Name} in pod {_host.PodRef}");
                        await Task.Delay(delay, _time, ct);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ContainerLoopFailed(_logger, _host.PodRef, Name, e);
                    await Task.Delay(_configRetry, _time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _completed.TrySetResult(false);
        }
    }

    /// <summary>One run of the process: returns its exit code and when it started and ended.</summary>
    private async Task<(int ExitCode, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)> RunOnceAsync(LaunchSpec launch, int restarts, CancellationToken ct)
    {
        var log = _host.OpenLog(Name, restarts);
        var startedAt = _time.GetUtcNow();
        var (process, error) = ContainerProcess.Start(launch, log, _host.PidFile(Name), _time);
        if (process is null)
        {
            await log.DisposeAsync();
            var now = _time.GetUtcNow();
            await _host.EventAsync(true, Name, "Failed", $"Error: {error}");
            Terminated(128, "StartError", startedAt, now, null, error, restarts);
            return (128, startedAt, now);
        }

        var containerId = $"local://{process.Pid}";
        bool stopNow;
        lock (_lock)
        {
            _process = process;
            stopNow = _stopping;
        }

        if (stopNow)
        {
            _ = process.TerminateAsync(TimeSpan.Zero, _time);
        }

        await _host.EventAsync(false, Name, "Pulled", $"Container image \"{_spec.Image}\" already present on machine");
        await _host.EventAsync(false, Name, "Created", $"Created container: {Name}");
        await _host.EventAsync(false, Name, "Started", $"Started container {Name}");
        var started = _spec.StartupProbe is null;
        var ready = _spec.ReadinessProbe is null && started;
        Update(ContainerSnapshot.Running(startedAt), ready, started, restarts, containerId);

        using var probes = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var probing = RunProbesAsync(process, launch, restarts, containerId, startedAt, probes.Token);
        var exitCode = await process.Exited;
        await probes.CancelAsync();
        await probing;
        await log.DisposeAsync();
        lock (_lock)
        {
            _process = null;
        }

        await process.DisposeAsync();
        var finishedAt = _time.GetUtcNow();
        Terminated(exitCode, exitCode == 0 ? "Completed" : "Error", startedAt, finishedAt, containerId, null, restarts);
        return (exitCode, startedAt, finishedAt);
    }

    private async Task RunProbesAsync(ContainerProcess process, LaunchSpec launch, int restarts, string containerId, DateTimeOffset startedAt, CancellationToken ct)
    {
        var target = _host.ProbeTarget(_spec, launch);
        var ready = _spec.ReadinessProbe is null;
        var started = _spec.StartupProbe is null;
        void Publish() => Update(ContainerSnapshot.Running(startedAt), ready && started, started, restarts, containerId);
        Task Failure(string kind, string message) => _host.EventAsync(true, Name, "Unhealthy", $"{kind} probe failed: {message}");
        async Task Kill(string kind)
        {
            await _host.EventAsync(false, Name, "Killing", $"Container {Name} failed {kind} probe, will be restarted");
            _ = process.TerminateAsync(_host.GracePeriod, _time);
        }

        try
        {
            if (_spec.StartupProbe is { } startup)
            {
                var worker = new ProbeWorker(startup, target, initial: false, _time,
                    async (ok, _) =>
                    {
                        if (ok)
                        {
                            started = true;
                            Publish();
                        }
                        else
                        {
                            await Kill("startup");
                        }
                    },
                    m => Failure("Startup", m));
                await worker.RunAsync(stopWhenSucceeded: true, ct);
                if (!started)
                {
                    return;
                }
            }

            var running = new List<Task>();
            if (_spec.ReadinessProbe is { } readiness)
            {
                running.Add(new ProbeWorker(readiness, target, initial: false, _time, (ok, _) =>
                {
                    ready = ok;
                    Publish();
                    return Task.CompletedTask;
                }, m => Failure("Readiness", m)).RunAsync(stopWhenSucceeded: false, ct));
            }

            if (_spec.LivenessProbe is { } liveness)
            {
                running.Add(new ProbeWorker(liveness, target, initial: true, _time, (ok, _) => ok ? Task.CompletedTask : Kill("liveness"),
                    m => Failure("Liveness", m)).RunAsync(stopWhenSucceeded: false, ct));
            }

            await Task.WhenAll(running);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A prober that breaks must not take the container's loop down with it.
            Log.ProbesFailed(_logger, _host.PodRef, Name, e);
        }
    }

    private void Terminated(int exitCode, string reason, DateTimeOffset startedAt, DateTimeOffset finishedAt, string? containerId, string? message, int restarts)
    {
        var state = ContainerSnapshot.Terminated(exitCode, reason, startedAt, finishedAt, containerId, message);
        Update(state, ready: false, started: false, restarts, containerId);
        lock (_lock)
        {
            _lastTerminated = state;
        }
    }

    private void Update(JsonObject state, bool ready, bool started, int restarts, string? containerId)
    {
        lock (_lock)
        {
            // lastState is the previous run's end: it shows while the container runs again or waits to.
            var last = state["terminated"] is not null ? _snapshot.LastState : _lastTerminated;
            var next = new ContainerSnapshot(Name, _spec.Image ?? "", state, last, restarts, ready, started, containerId);
            if (JsonNode.DeepEquals(next.State, _snapshot.State) && JsonNode.DeepEquals(next.LastState, _snapshot.LastState)
                && (next.Ready, next.Started, next.RestartCount, next.ContainerId) == (_snapshot.Ready, _snapshot.Started, _snapshot.RestartCount, _snapshot.ContainerId))
            {
                return;
            }

            _snapshot = next;
        }

        _host.StatusChanged();
    }

    /// <summary>Stops the container for good: SIGTERM, SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        ContainerProcess? process;
        lock (_lock)
        {
            _stopping = true;
            process = _process;
        }

        await _stop.CancelAsync();
        if (process is not null)
        {
            await _host.EventAsync(false, Name, "Killing", $"Stopping container {Name}");
            await process.TerminateAsync(grace, _time);
        }

        await _loop;
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>Go's time.Duration.String() for whole seconds and milliseconds: 10s, 2m40s, 5m0s, 200ms.</summary>
    internal static string GoDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1))
        {
            return ((long)d.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = d.TotalSeconds % 60;
        var secondsText = seconds == Math.Floor(seconds) ? ((long)seconds).ToString(CultureInfo.InvariantCulture) : seconds.ToString("0.###", CultureInfo.InvariantCulture);
        return d < TimeSpan.FromMinutes(1) ? secondsText + "s"
            : d < TimeSpan.FromHours(1) ? $"{(long)d.TotalMinutes}m{secondsText}s"
            : $"{(long)d.TotalHours}h{d.Minutes}m{secondsText}s";
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Container loop of {Pod} {Container} failed; retrying")]
        public static partial void ContainerLoopFailed(ILogger logger, string pod, string container, Exception e);

        [LoggerMessage(Level = LogLevel.Error, Message = "Probes of {Pod} {Container} failed")]
        public static partial void ProbesFailed(ILogger logger, string pod, string container, Exception e);
    }
}
