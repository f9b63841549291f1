using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// The node agent of the local runner: the scheduler's one decision (every unbound Pod of the default
/// scheduler is bound to this node through the binding subresource) and the kubelet's (a
/// <see cref="PodWorker"/> per Pod bound here). On start it reaps processes a crashed runner left behind,
/// and Pods bound here from an earlier run start again.
/// </summary>
internal sealed partial class Kubelet : IAsyncDisposable
{
    private const string Scheduler = "default-scheduler";
    private readonly KubeletContext _ctx;
    private readonly KeyQueue _queue;
    private readonly Dictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public Kubelet(KubeletContext ctx)
    {
        _ctx = ctx;
        _queue = new KeyQueue("kubelet", ctx.Time, ctx.Logger);
    }

    public void Start()
    {
        ReapLeftovers();
        foreach (var pod in _ctx.Api.List(_ctx.Api.Pods))
        {
            if (Meta.Str(pod["spec"]?["nodeName"]) == _ctx.Options.NodeName && Meta.Str(pod["status"]?["podIP"]) is { } ip)
            {
                _ctx.Ips.Allocate(Meta.Uid(pod), ip);
            }
        }

        _loop = _queue.RunAsync(ReconcileAsync, _stop.Token);
    }

    public void PodChanged(string ns, string name) => _queue.Add($"{ns}/{name}");

    /// <summary>A Secret or ConfigMap changed: the namespace's Pods resync their volumes and retry waiting containers.</summary>
    public void ConfigChanged(string ns)
    {
        lock (_workers)
        {
            foreach (var worker in _workers.Values.Where(w => w.Namespace == ns))
            {
                worker.ConfigChanged();
            }
        }
    }

    private async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = KeyQueue.Split(key);
        var pod = _ctx.Api.Get(_ctx.Api.Pods, ns, name);
        PodWorker? worker;
        lock (_workers)
        {
            _workers.TryGetValue(key, out worker);
        }

        if (worker is not null && (pod is null || Meta.Uid(pod) != worker.Uid))
        {
            // The object this worker ran is gone; a Pod recreated under the name waits until it has stopped.
            worker.Gone();
            return null;
        }

        if (pod is null)
        {
            return null;
        }

        var node = Meta.Str(pod["spec"]?["nodeName"]) ?? "";
        if (node.Length == 0)
        {
            await ScheduleAsync(pod, ct);
            return null;
        }

        if (node != _ctx.Options.NodeName)
        {
            return null;
        }

        if (worker is null)
        {
            worker = new PodWorker(_ctx, pod.DeepClone().AsObject());
            lock (_workers)
            {
                _workers[key] = worker;
            }

            worker.Start();
            _ = RemoveWhenFinishedAsync(key, worker);
        }

        worker.Update(pod.DeepClone().AsObject());
        return null;
    }

    private async Task RemoveWhenFinishedAsync(string key, PodWorker worker)
    {
        await worker.Finished;
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        worker.Dispose();
        lock (_workers)
        {
            if (_workers.TryGetValue(key, out var current) && current == worker)
            {
                _workers.Remove(key);
            }
        }

        _queue.Add(key);
    }

    /// <summary>The default scheduler's decision with one node: bind every Pod it is responsible for here.</summary>
    private async Task ScheduleAsync(JsonObject pod, CancellationToken ct)
    {
        if (Meta.IsDeleting(pod) || (Meta.Str(pod["spec"]?["schedulerName"]) ?? Scheduler) != Scheduler)
        {
            return;
        }

        var outcome = await _ctx.Api.BindAsync(Meta.Namespace(pod), Meta.Name(pod), Meta.Uid(pod), _ctx.Options.NodeName, Scheduler, ct);
        if (outcome.Error is null)
        {
            await _ctx.Events.NormalAsync(Scheduler, null, pod, "Scheduled",
                $"Successfully assigned {Meta.Namespace(pod)}/{Meta.Name(pod)} to {_ctx.Options.NodeName}", ct);
        }
    }

    /// <summary>Processes of an earlier runner that died without stopping them (their pid files remain).</summary>
    private void ReapLeftovers()
    {
        if (!Directory.Exists(_ctx.Paths.Root))
        {
            return;
        }

        foreach (var pidFile in Directory.EnumerateFiles(_ctx.Paths.Root, "*.pid", SearchOption.AllDirectories))
        {
            ContainerProcess.ReapLeftover(pidFile);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        List<PodWorker> workers;
        lock (_workers)
        {
            workers = [.. _workers.Values];
        }

        await Task.WhenAll(workers.Select(w => w.ShutdownAsync()));
        foreach (var worker in workers)
        {
            worker.Dispose();
        }
    }
}
