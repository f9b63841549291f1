using System.Net;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Controllers.Tests.Support;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Manager;

/// <summary>The manager's shutdown, probes and metrics against the real control plane.</summary>
public sealed class ManagerTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stop_FinishesTheReconcileInFlight_AndStartsNoOther()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new Observations<string>();
        var finished = new Observations<(string Name, bool Cancelled)>();
        var cached = new Observations<string>();
        manager.NewController("configmaps").For<ConfigMap>().Complete(new DelegateReconciler<ConfigMap>(async (map, ct) =>
        {
            entered.Add(map.Metadata.Name!);
            try
            {
                await gate.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                finished.Add((map.Metadata.Name!, true));
                throw;
            }

            finished.Add((map.Metadata.Name!, false));
            return ReconcileResult.Done;
        }));
        manager.Cache.GetInformer<ConfigMap>().AddEventHandler(new ResourceEventHandler<ConfigMap> { Added = m => cached.Add(m.Metadata.Name!) });
        await manager.StartAsync(Ct);
        var maps = fixture.Client.Resource<ConfigMap>(ns);

        await maps.CreateAsync(TestObjects.ConfigMap("slow"), cancellationToken: Ct);
        await entered.WaitAsync(n => n == "slow", "the reconcile of slow");
        var stop = manager.StopAsync(Ct);
        await maps.CreateAsync(TestObjects.ConfigMap("late"), cancellationToken: Ct);
        await cached.WaitAsync(n => n == "late", "late in the cache");
        var stoppedEarly = stop.IsCompleted;
        gate.SetResult();
        await stop;

        Assert.False(stoppedEarly);
        Assert.Equal([("slow", false)], finished.Items);
        Assert.Equal(["slow"], entered.Items);
        Assert.False(manager.IsLeader);
    }

    [Fact]
    public async Task Stop_CancelsAReconcileThatOutlivesTheGracePeriod()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns, grace: TimeSpan.FromMilliseconds(100));
        var entered = new Observations<string>();
        var cancelled = new Observations<string>();
        manager.NewController("configmaps-stuck").For<ConfigMap>().Complete(new DelegateReconciler<ConfigMap>(async (map, ct) =>
        {
            entered.Add(map.Metadata.Name!);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.Add(map.Metadata.Name!);
                throw;
            }

            return ReconcileResult.Done;
        }));
        await manager.StartAsync(Ct);
        await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("stuck"), cancellationToken: Ct);
        await entered.WaitAsync(n => n == "stuck", "the reconcile of stuck");

        await manager.StopAsync(Ct);

        Assert.Equal(["stuck"], cancelled.Items);
    }

    [Fact]
    public async Task OneKey_IsReconciledByOneWorkerAtATime_WhileOtherKeysRunInParallel()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var passes = new Observations<(string Name, string? Version)>();
        var cached = new Observations<string?>();
        var inFlight = new Dictionary<string, int>();
        var maxInFlight = 0;
        manager.NewController("configmaps-parallel").For<ConfigMap>().WithMaxConcurrentReconciles(4).Complete(new DelegateReconciler<ConfigMap>(async (map, ct) =>
        {
            var name = map.Metadata.Name!;
            lock (inFlight)
            {
                inFlight[name] = inFlight.GetValueOrDefault(name) + 1;
                maxInFlight = Math.Max(maxInFlight, inFlight[name]);
            }

            passes.Add((name, map.Metadata.ResourceVersion));
            if (name == "a" && passes.Items.Count(p => p.Name == "a") == 1)
            {
                await gate.Task.WaitAsync(ct);
            }

            lock (inFlight)
            {
                inFlight[name]--;
            }

            return ReconcileResult.Done;
        }));
        manager.Cache.GetInformer<ConfigMap>().AddEventHandler(new ResourceEventHandler<ConfigMap> { Updated = (_, m) => cached.Add(m.Metadata.ResourceVersion) });
        await manager.StartAsync(Ct);
        var maps = fixture.Client.Resource<ConfigMap>(ns);

        await maps.CreateAsync(TestObjects.ConfigMap("a"), cancellationToken: Ct);
        await passes.WaitAsync(p => p.Name == "a", "the first reconcile of a");
        string? last = null;
        for (var i = 2; i <= 4; i++)
        {
            last = (await maps.ReplaceAsync((await maps.GetAsync("a", Ct)) with { Data = new Dictionary<string, string> { ["key"] = $"{i}" } }, cancellationToken: Ct)).Metadata.ResourceVersion;
        }

        await cached.WaitAsync(v => v == last, "the last update of a in the cache");
        await maps.CreateAsync(TestObjects.ConfigMap("b"), cancellationToken: Ct);
        await passes.WaitAsync(p => p.Name == "b", "b reconciled while a is busy");
        gate.SetResult();
        await passes.WaitAsync(p => p.Name == "a" && p.Version == last, "a reconciled again at its latest version");
        await manager.StopAsync(Ct);

        Assert.Equal(1, maxInFlight);
        Assert.Equal(2, passes.Items.Count(p => p.Name == "a")); // three updates while busy: one more reconcile
    }

    [Fact]
    public async Task RequeueAfter_ReconcilesAgain_AndDeletedHandlerSeesTheGoneKey()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns);
        var rounds = new Observations<int>();
        var round = 0;
        var deleted = new Observations<ObjectKey>();
        manager.NewController("configmaps-requeue").For<ConfigMap>().WithDeletedHandler(new DeletedRecorder(deleted)).Complete(new DelegateReconciler<ConfigMap>((map, _) =>
        {
            var now = Interlocked.Increment(ref round);
            rounds.Add(now);
            return Task.FromResult(now < 3 ? ReconcileResult.RequeueAfter(TimeSpan.FromMilliseconds(10)) : ReconcileResult.Done);
        }));
        await manager.StartAsync(Ct);
        var maps = fixture.Client.Resource<ConfigMap>(ns);

        await maps.CreateAsync(TestObjects.ConfigMap("polled"), cancellationToken: Ct);
        await rounds.WaitAsync(r => r == 3, "three rounds, two of them asked for by RequeueAfter");
        await maps.DeleteAsync("polled", cancellationToken: Ct);
        var key = await deleted.WaitAsync(_ => true, "the deleted handler");

        Assert.Equal(new ObjectKey(ns, "polled"), key);
        Assert.Contains("result=\"requeue_after\"", manager.RenderMetrics(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControllersWatchingOneKind_ShareOneInformer()
    {
        var ns = await fixture.NamespaceAsync();
        var client = new InterceptingClient(fixture.NewClient());
        await using var manager = new ControllerManager(client, new ControllerManagerOptions { Cache = new InformerOptions { Namespace = ns } });
        var seen = new Observations<string>();
        manager.NewController("first").For<ConfigMap>().Complete(new DelegateReconciler<ConfigMap>((m, _) => { seen.Add("first"); return Task.FromResult(ReconcileResult.Done); }));
        manager.NewController("second").For<ConfigMap>().Complete(new DelegateReconciler<ConfigMap>((m, _) => { seen.Add("second"); return Task.FromResult(ReconcileResult.Done); }));
        await manager.StartAsync(Ct);

        await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("shared"), cancellationToken: Ct);
        await seen.WaitAsync(n => n == "first", "the first controller");
        await seen.WaitAsync(n => n == "second", "the second controller");
        await client.Verbs.WaitAsync(v => v == "watch", "the informer's watch");

        Assert.Single(manager.Cache.Status);
        Assert.Equal(1, client.Calls("list"));
        Assert.Equal(1, client.Calls("watch"));
        Assert.Throws<InvalidOperationException>(() => manager.NewController("late").For<ConfigMap>().Complete(new DelegateReconciler<ConfigMap>((_, _) => Task.FromResult(ReconcileResult.Done))));
    }

    [Fact]
    public async Task Probes_AndMetrics_AreServed()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns, probes: AnyLoopbackPort, metrics: AnyLoopbackPort);
        var done = new Observations<string>();
        manager.NewController("configmaps-metrics").For<ConfigMap>().Complete(new DelegateReconciler<ConfigMap>((map, _) =>
        {
            done.Add(map.Metadata.Name!);
            return Task.FromResult(ReconcileResult.Done);
        }));
        await manager.StartAsync(Ct);
        await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("measured"), cancellationToken: Ct);
        await done.WaitAsync(n => n == "measured", "the reconcile");
        await manager.Cache.WaitForSyncAsync(Ct);
        using var http = new HttpClient();

        var healthz = await http.GetAsync(new Uri(manager.HealthProbeUrl!, "/healthz"), Ct);
        var readyz = await http.GetAsync(new Uri(manager.HealthProbeUrl!, "/readyz"), Ct);
        var metrics = await http.GetStringAsync(new Uri(manager.MetricsUrl!, "/metrics"), Ct);
        var lines = metrics.Split('\n');

        Assert.NotEqual(manager.HealthProbeUrl, manager.MetricsUrl);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Contains(lines, l => l.StartsWith("tunneloperator_reconcile_total{", StringComparison.Ordinal)
            && l.Contains("controller=\"configmaps-metrics\"", StringComparison.Ordinal) && l.Contains("result=\"success\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("tunneloperator_reconcile_time_seconds_bucket{", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("tunneloperator_workqueue_adds_total{name=\"configmaps-metrics\"}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("tunneloperator_workqueue_depth{name=\"configmaps-metrics\"}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("tunneloperator_leader_is_leader{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains("# TYPE tunneloperator_reconcile_time_seconds histogram", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_SaysNotReady_WhileAnInformerCannotSync()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns, probes: AnyLoopbackPort, minBackoff: TimeSpan.FromSeconds(5));
        manager.Cache.GetInformer<EdgeNode>(); // its CRD is not installed here: the list keeps failing
        await manager.StartAsync(Ct);
        using var http = new HttpClient();

        var readyz = await http.GetAsync(new Uri(manager.HealthProbeUrl!, "/readyz"), Ct);
        var healthz = await http.GetAsync(new Uri(manager.HealthProbeUrl!, "/healthz"), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.Contains("edgenodes", await readyz.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Null(manager.MetricsUrl);
    }

    private ControllerManager Manager(string ns, IPEndPoint? probes = null, IPEndPoint? metrics = null, TimeSpan? minBackoff = null, TimeSpan? grace = null) =>
        new(fixture.NewClient(), new ControllerManagerOptions
        {
            GracefulShutdownTimeout = grace ?? TimeSpan.FromSeconds(30),
            Cache = new InformerOptions { Namespace = ns, MinBackoff = minBackoff ?? TimeSpan.FromMilliseconds(10) },
            HealthProbeEndPoint = probes,
            MetricsEndPoint = metrics,
        });

    private sealed class DeletedRecorder(Observations<ObjectKey> deleted) : IDeletedHandler
    {
        public Task OnDeletedAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            deleted.Add(key);
            return Task.CompletedTask;
        }
    }
}
