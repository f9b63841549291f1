using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// One Pod on this node, from its first sync to its deletion (the kubelet's pod worker). Each sync is
/// level-based on the latest Pod object:
/// <list type="number">
/// <item>gone from the API: stop its processes, release its IP, remove its directory;</item>
/// <item>being deleted: stop its processes within the grace period, then delete it with grace 0;</item>
/// <item>otherwise: on first sight check its images (unsupported ones: a Warning Event, and it stays
///   Pending), give it an IP and a directory, start its containers (init containers first, in order);
///   keep its volumes in sync; write its status when it changed.</item>
/// </list>
/// </summary>
internal sealed partial class PodWorker : IDisposable
{
    private readonly KubeletContext _ctx;
    private readonly AsyncSignal _signal = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ContainerRunner> _init = [];
    private readonly List<ContainerRunner> _containers = [];
    private JsonObject _pod;
    private Pod _spec;
    private int _configChanged = 1;
    private bool _gone;
    private volatile bool _shutdown;
    private bool _prepared;
    private bool _terminated;
    private string? _podIp;
    private DateTimeOffset? _startTime;
    private IReadOnlyDictionary<string, MountPaths> _mounts = new Dictionary<string, MountPaths>();
    private string? _mountError;
    private string? _unsupported;
    private Task _loop = Task.CompletedTask;

    public PodWorker(KubeletContext ctx, JsonObject pod)
    {
        _ctx = ctx;
        _pod = pod;
        _spec = ClusterApi.ToPod(pod);
        Namespace = Meta.Namespace(pod);
        Name = Meta.Name(pod);
        Uid = Meta.Uid(pod);
    }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    /// <summary>Completes when the Pod is gone and cleaned up, or the worker was shut down.</summary>
    public Task Finished => _loop;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>A newer version of the Pod object.</summary>
    public void Update(JsonObject pod)
    {
        Volatile.Write(ref _pod, pod);
        ConfigChanged();
    }

    /// <summary>A Secret or ConfigMap of the Pod's namespace changed: resync volumes, retry waiting containers.</summary>
    public void ConfigChanged()
    {
        Interlocked.Exchange(ref _configChanged, 1);
        _signal.Set();
    }

    /// <summary>The Pod object is gone (deleted at once, or replaced by another uid).</summary>
    public void Gone()
    {
        _gone = true;
        _signal.Set();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await _signal.WaitAsync(ct);
                try
                {
                    if (await SyncAsync(ct))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.SyncFailed(_ctx.Logger, Namespace, Name, e);
                    if (_shutdown)
                    {
                        return;
                    }

                    _ = RetryLaterAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task RetryLaterAsync(CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), _ctx.Time, ct);
        _signal.Set();
    }

    /// <summary>One sync; true when the Pod is finished with.</summary>
    private async Task<bool> SyncAsync(CancellationToken ct)
    {
        if (_shutdown)
        {
            await TerminateAsync(_ctx.Options.ShutdownGracePeriod);
            return true;
        }

        if (_gone)
        {
            await TerminateAsync(TimeSpan.FromSeconds(2));
            Cleanup();
            return true;
        }

        var pod = Volatile.Read(ref _pod);
        if (Meta.IsDeleting(pod))
        {
            var grace = TimeSpan.FromSeconds(Meta.Long(pod["metadata"]?["deletionGracePeriodSeconds"]) ?? 0);
            await TerminateAsync(grace);
            Cleanup();
            var deleted = await _ctx.Api.DeleteAsync(_ctx.Api.Pods, Namespace, Name, Uid, gracePeriodSeconds: 0, ct);
            if (deleted.Error is { Code: not (404 or 409) } error)
            {
                Log.DeleteFailed(_ctx.Logger, Namespace, Name, error.Message);
                _ = RetryLaterAsync(ct);
                return false;
            }

            return true;
        }

        if (!_prepared && !await PrepareAsync(pod, ct))
        {
            await WriteStatusAsync(ct);
            return false;
        }

        if (Interlocked.Exchange(ref _configChanged, 0) == 1 && _unsupported is null)
        {
            await SyncVolumesAsync(pod);
            foreach (var runner in _init.Concat(_containers))
            {
                runner.Wake();
            }
        }

        await WriteStatusAsync(ct);
        return false;
    }

    /// <summary>First sight: images, IP, directory, containers. False while the Pod cannot run.</summary>
    private async Task<bool> PrepareAsync(JsonObject pod, CancellationToken ct)
    {
        if (Meta.Str(pod["status"]?["phase"]) is "Succeeded" or "Failed")
        {
            // Finished in an earlier run of the runner: nothing to start again.
            return false;
        }

        // Images may still change (kubectl set image) until the Pod runs.
        _spec = ClusterApi.ToPod(pod);
        var all = (_spec.Spec?.InitContainers ?? []).Concat(_spec.Spec?.Containers ?? []).ToList();
        var unsupported = all.Where(c => !_ctx.Images.Matches(c.Image)).Select(c => c.Image ?? "").Distinct().ToList();
        if (unsupported.Count > 0)
        {
            var message = $"image {string.Join(", ", unsupported.Select(i => $"\"{i}\""))} cannot run here: the local workload runner runs only the suite's images ({_ctx.Images.Describe()}) as local processes";
            if (message != _unsupported)
            {
                _unsupported = message;
                await _ctx.Events.WarningAsync(KubeletContext.Component, _ctx.Options.NodeName, pod, "UnsupportedImage", message, ct);
            }

            return false;
        }

        _unsupported = null;

        _podIp = _ctx.Ips.Allocate(Uid, Meta.Str(pod["status"]?["podIP"]));
        if (_podIp is null)
        {
            await _ctx.Events.WarningAsync(KubeletContext.Component, _ctx.Options.NodeName, pod, "FailedCreatePodSandBox", $"no free pod IP in {_ctx.Ips.Cidr}", ct);
            _ = RetryLaterAsync(ct);
            return false;
        }

        PrepareDirectory();
        _startTime = Meta.ParseTimestamp(pod["status"]?["startTime"]) ?? _ctx.Time.GetUtcNow();
        _prepared = true;
        var previous = Previous(pod);
        var initial = (_spec.Spec?.InitContainers?.Count ?? 0) > 0 ? "PodInitializing" : "ContainerCreating";
        foreach (var c in _spec.Spec?.InitContainers ?? [])
        {
            _init.Add(new ContainerRunner(this, c, init: true, previous.GetValueOrDefault("init/" + c.Name), "PodInitializing", _ctx.Options, _ctx.Time, _ctx.Logger));
        }

        foreach (var c in _spec.Spec?.Containers ?? [])
        {
            _containers.Add(new ContainerRunner(this, c, init: false, previous.GetValueOrDefault(c.Name ?? ""), initial, _ctx.Options, _ctx.Time, _ctx.Logger));
        }

        await SyncVolumesAsync(pod);
        Interlocked.Exchange(ref _configChanged, 0);
        _ = StartContainersAsync();
        return true;
    }

    /// <summary>Init containers one after another, each to success; then every container at once.</summary>
    private async Task StartContainersAsync()
    {
        foreach (var init in _init)
        {
            if (_terminated)
            {
                return;
            }

            init.Start();
            if (!await init.Completed)
            {
                return;
            }
        }

        if (!_terminated)
        {
            foreach (var c in _containers)
            {
                c.Start();
            }
        }
    }

    private async Task SyncVolumesAsync(JsonObject pod)
    {
        var (mounts, error) = PodVolumes.Sync(_ctx.Api, _ctx.Paths, _spec);
        if (error is not null && error != _mountError)
        {
            await _ctx.Events.WarningAsync(KubeletContext.Component, _ctx.Options.NodeName, pod, "FailedMount", error, _stop.Token);
        }

        _mountError = error;
        if (mounts is not null)
        {
            _mounts = mounts;
        }
    }

    /// <summary>Container statuses of an earlier run of the runner, so restart counts and lastState carry on.</summary>
    private static Dictionary<string, ContainerSnapshot> Previous(JsonObject pod)
    {
        var result = new Dictionary<string, ContainerSnapshot>(StringComparer.Ordinal);
        foreach (var (list, prefix) in new[] { ("containerStatuses", ""), ("initContainerStatuses", "init/") })
        {
            foreach (var s in (pod["status"]?[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (s["state"] is JsonObject state && Meta.Str(s["name"]) is { } name)
                {
                    var last = s["lastState"] is JsonObject { Count: > 0 } l ? l.DeepClone().AsObject() : null;
                    result[prefix + name] = new ContainerSnapshot(name, Meta.Str(s["image"]) ?? "", state.DeepClone().AsObject(), last,
                        (int)(Meta.Long(s["restartCount"]) ?? 0), false, false, null);
                }
            }
        }

        return result;
    }

    private void PrepareDirectory()
    {
        var dir = _ctx.Paths.Pod(Namespace, Name);
        var uidFile = Path.Combine(dir, "uid");
        if (Directory.Exists(dir) && (!File.Exists(uidFile) || File.ReadAllText(uidFile).Trim() != Uid))
        {
            // A directory left by an earlier Pod of the same name.
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        File.WriteAllText(uidFile, Uid);
    }

    /// <summary>Stops every container within <paramref name="grace"/>.</summary>
    private async Task TerminateAsync(TimeSpan grace)
    {
        _terminated = true;
        await Task.WhenAll(_init.Concat(_containers).Select(r => r.StopAsync(grace)));
    }

    private void Cleanup()
    {
        _ctx.Ips.Release(Uid);
        var dir = _ctx.Paths.Pod(Namespace, Name);
        var uidFile = Path.Combine(dir, "uid");
        try
        {
            if (File.Exists(uidFile) && File.ReadAllText(uidFile).Trim() == Uid)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException e)
        {
            Log.CleanupFailed(_ctx.Logger, dir, e.Message);
        }
    }

    /// <summary>
    /// The runner stops: processes end, the Pod object and its directory stay for the next start. The worker's
    /// own loop does it, so it never races a sync that is starting containers.
    /// </summary>
    public async Task ShutdownAsync()
    {
        _shutdown = true;
        _signal.Set();
        await _loop;
        await _stop.CancelAsync();
    }

    /// <summary>Once <see cref="Finished"/>: releases what the worker and its containers hold.</summary>
    public void Dispose()
    {
        foreach (var runner in _init.Concat(_containers))
        {
            runner.Dispose();
        }

        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Syncing pod {Namespace}/{Name} failed")]
        public static partial void SyncFailed(ILogger logger, string @namespace, string name, Exception e);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting pod {Namespace}/{Name} failed: {Error}")]
        public static partial void DeleteFailed(ILogger logger, string @namespace, string name, string error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Could not remove {Directory}: {Error}")]
        public static partial void CleanupFailed(ILogger logger, string directory, string error);
    }
}
