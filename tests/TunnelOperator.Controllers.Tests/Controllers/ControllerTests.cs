using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Controllers.Tests.Support;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.References;

namespace TunnelOperator.Controllers.Tests.Controllers;

/// <summary>Controllers reconciling the Tunnel kind (its committed CRD) against the real control plane.</summary>
public sealed class ControllerTests(TunnelAndEdgeFixture fixture) : IClassFixture<TunnelAndEdgeFixture>
{
    private const string Finalizer = "tunneloperator.io/test-cleanup";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One reconcile: the version it saw, whether it wrote status, and what it found.</summary>
    private sealed record Pass(string Name, string? Seen, bool Wrote = false, string? After = null, string? Child = null);

    [Fact]
    public async Task Status_IsWrittenOnlyWhenItChanged()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns);
        var passes = new Observations<Pass>();
        manager.NewController("tunnels-status").For<Tunnel>().Complete(new DelegateReconciler<Tunnel>(async (tunnel, ct) =>
        {
            var written = await StatusWriter.WriteAsync(manager.Client, tunnel, Ready(tunnel), cancellationToken: ct);
            passes.Add(new Pass(tunnel.Metadata.Name!, tunnel.Metadata.ResourceVersion, written.Written, written.Value.Metadata.ResourceVersion));
            return ReconcileResult.Done;
        }));
        await manager.StartAsync(Ct);
        var tunnels = fixture.Client.Resource<Tunnel>(ns);

        await tunnels.CreateAsync(TestObjects.Tunnel("web"), cancellationToken: Ct);
        var write = await passes.WaitAsync(p => p.Wrote, "the status write");
        var settled = await passes.WaitAsync(p => p.Seen == write.After, "the reconcile the status write caused");
        var labelled = await tunnels.PatchAsync("web", Patch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "edge" } } }), cancellationToken: Ct);
        var relabelled = await passes.WaitAsync(p => p.Seen == labelled.Metadata.ResourceVersion, "the reconcile of the label change");
        var current = await tunnels.GetAsync("web", Ct);

        Assert.False(settled.Wrote);
        Assert.False(relabelled.Wrote);
        Assert.Equal(labelled.Metadata.ResourceVersion, current.Metadata.ResourceVersion); // nothing written since the label
        Assert.Single(passes.Items, p => p.Wrote);
        Assert.True(Conditions.IsTrue(current.Status?.Conditions, TunnelConditions.Ready));
        Assert.Equal(1, current.Status!.ObservedGeneration);
    }

    [Fact]
    public async Task ChangesToOwnedObjects_ReconcileTheirOwner()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns);
        var passes = new Observations<Pass>();
        manager.NewController("tunnels-owner").For<Tunnel>().Owns<ConfigMap>().Complete(new DelegateReconciler<Tunnel>(async (tunnel, ct) =>
        {
            var child = manager.Cache.GetInformer<ConfigMap>().ByIndex(Indexers.ControllerOwnerUid, tunnel.Metadata.Uid!).SingleOrDefault();
            await manager.Client.Resource<ConfigMap>(ns).ApplyAsync(new ConfigMap
            {
                Metadata = new ObjectMeta { Name = tunnel.Metadata.Name + "-config", Namespace = ns, OwnerReferences = [OwnerReferences.For(tunnel, controller: true)] },
                Data = new Dictionary<string, string> { ["target"] = tunnel.Spec.Target.Url! },
            }, new ApplyOptions { FieldManager = "tunnels-owner", Force = true }, ct);
            passes.Add(new Pass(tunnel.Metadata.Name!, tunnel.Metadata.ResourceVersion, Child: child is null ? null : child.Data?.GetValueOrDefault("extra") ?? "-"));
            return ReconcileResult.Done;
        }));
        await manager.StartAsync(Ct);

        await fixture.Client.Resource<Tunnel>(ns).CreateAsync(TestObjects.Tunnel("web"), cancellationToken: Ct);
        await passes.WaitAsync(p => p.Child == "-", "a reconcile that found the child");
        await fixture.Client.Resource<ConfigMap>(ns).PatchAsync("web-config", Patch.Merge(new JsonObject { ["data"] = new JsonObject { ["extra"] = "edited" } }), cancellationToken: Ct);
        var afterEdit = await passes.WaitAsync(p => p.Child == "edited", "the owner's reconcile after its child changed");

        Assert.Equal("web", afterEdit.Name);
    }

    [Fact]
    public async Task Conflict_FromAnotherWriter_IsRetriedOnTheNewerObject()
    {
        var ns = await fixture.NamespaceAsync();
        var policy = new RecordingErrorPolicy();
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var manager = Manager(ns, loggers);
        var passes = new Observations<Pass>();
        var meddled = 0;
        manager.NewController("tunnels-conflict").For<Tunnel>().WithErrorPolicy(policy).Complete(new DelegateReconciler<Tunnel>(async (tunnel, ct) =>
        {
            if (Interlocked.Exchange(ref meddled, 1) == 0)
            {
                // Another writer changes the object while this reconcile works from what it read.
                await fixture.Client.Resource<Tunnel>(ns).PatchAsync(tunnel.Metadata.Name!, Patch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["meddler"] = "was-here" } } }), cancellationToken: ct);
            }

            var written = await StatusWriter.WriteAsync(manager.Client, tunnel, Ready(tunnel), cancellationToken: ct);
            passes.Add(new Pass(tunnel.Metadata.Name!, tunnel.Metadata.ResourceVersion, written.Written, written.Value.Metadata.ResourceVersion));
            return ReconcileResult.Done;
        }));
        await manager.StartAsync(Ct);

        var created = await fixture.Client.Resource<Tunnel>(ns).CreateAsync(TestObjects.Tunnel("web"), cancellationToken: Ct);
        var (error, decision) = await policy.Decisions.WaitAsync(d => d.Error is KubernetesApiException { IsConflict: true }, "the 409 of the stale status write");
        var write = await passes.WaitAsync(p => p.Wrote, "the status write after the retry");
        var current = await fixture.Client.Resource<Tunnel>(ns).GetAsync("web", Ct);

        Assert.Equal(ErrorDecisionKind.Backoff, decision.Kind);
        Assert.NotEqual(created.Metadata.ResourceVersion, write.Seen);
        Assert.Equal("was-here", current.Metadata.Annotations!["meddler"]);
        Assert.True(Conditions.IsTrue(current.Status?.Conditions, TunnelConditions.Ready));
        Assert.Contains("tunneloperator_reconcile_errors_total", manager.RenderMetrics(), StringComparison.Ordinal);
        // Logged as the expected retry it is: information, no stack trace, not a reconciler error.
        var conflict = Assert.Single(logs.Entries, e => e.EventId.Id == 207);
        Assert.Equal((LogLevel.Information, null), (conflict.Level, conflict.Exception));
        Assert.Contains("web", conflict.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Finalizer_IsAdded_CleanupFailingTwiceIsRetried_ThenTheObjectGoes()
    {
        var ns = await fixture.NamespaceAsync();
        var policy = new RecordingErrorPolicy();
        await using var manager = Manager(ns);
        var actions = new Observations<FinalizerAction>();
        var gone = new Observations<string>();
        var attempts = 0;
        manager.NewController("tunnels-finalizer").For<Tunnel>().WithErrorPolicy(policy).Complete(new DelegateReconciler<Tunnel>(async (tunnel, ct) =>
        {
            var action = await Finalizers.EnsureAsync(manager.Client, tunnel, Finalizer, (_, _) =>
            {
                var attempt = Interlocked.Increment(ref attempts);
                return attempt <= 2 ? throw new InvalidOperationException($"edge unreachable (attempt {attempt})") : Task.CompletedTask;
            }, ct);
            actions.Add(action);
            return ReconcileResult.Done;
        }));
        manager.Cache.GetInformer<Tunnel>().AddEventHandler(new ResourceEventHandler<Tunnel> { Deleted = t => gone.Add(t.Metadata.Name!) });
        await manager.StartAsync(Ct);
        var tunnels = fixture.Client.Resource<Tunnel>(ns);

        await tunnels.CreateAsync(TestObjects.Tunnel("web"), cancellationToken: Ct);
        await actions.WaitAsync(a => a == FinalizerAction.Added, "the finalizer added");
        await actions.WaitAsync(a => a == FinalizerAction.Continue, "a reconcile with the finalizer in place");
        var held = await tunnels.GetAsync("web", Ct);
        var deleting = await tunnels.DeleteAsync("web", cancellationToken: Ct);
        await actions.WaitAsync(a => a == FinalizerAction.Finalized, "the cleanup done and the finalizer removed");
        await gone.WaitAsync(n => n == "web", "the tunnel gone");

        Assert.Contains(Finalizer, held.Metadata.Finalizers!);
        Assert.Equal(DeleteOutcome.Pending, deleting.Outcome);
        Assert.Equal(3, attempts);
        Assert.Equal(2, policy.Decisions.Items.Count(d => d.Error is InvalidOperationException && d.Decision.Kind == ErrorDecisionKind.Backoff));
        Assert.Null(await tunnels.TryGetAsync("web", Ct));
    }

    [Fact]
    public async Task WatchedKinds_QueueWhatTheMapNames()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns);
        var passes = new Observations<Pass>();
        manager.NewController("tunnels-mapped").For<Tunnel>()
            .Watches<ConfigMap>(map => map.Data?.TryGetValue("tunnel", out var name) == true ? [new ObjectKey(map.Metadata.Namespace, name)] : [])
            .Complete(new DelegateReconciler<Tunnel>((tunnel, _) =>
            {
                var settings = manager.Cache.TryGet<ConfigMap>(new ObjectKey(ns, "settings"));
                passes.Add(new Pass(tunnel.Metadata.Name!, tunnel.Metadata.ResourceVersion, Child: settings?.Data?.GetValueOrDefault("mode")));
                return Task.FromResult(ReconcileResult.Done);
            }));
        await manager.StartAsync(Ct);
        await fixture.Client.Resource<Tunnel>(ns).CreateAsync(TestObjects.Tunnel("web"), cancellationToken: Ct);
        await passes.WaitAsync(p => p.Name == "web", "the first reconcile");

        await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "settings" },
            Data = new Dictionary<string, string> { ["tunnel"] = "web", ["mode"] = "strict" },
        }, cancellationToken: Ct);
        var mapped = await passes.WaitAsync(p => p.Child == "strict", "the reconcile the settings caused");

        Assert.Equal("web", mapped.Name);
    }

    [Fact]
    public async Task StatusWriter_InApplyMode_OwnsTheStatusUnderItsFieldManager()
    {
        var ns = await fixture.NamespaceAsync();
        var tunnels = fixture.Client.Resource<Tunnel>(ns);
        var created = await tunnels.CreateAsync(TestObjects.Tunnel("web"), cancellationToken: Ct);
        var options = new StatusWriteOptions { Mode = StatusWriteMode.Apply, FieldManager = "tunneloperator-status" };

        var first = await StatusWriter.WriteAsync(fixture.Client, created, Ready(created), options, Ct);
        var second = await StatusWriter.WriteAsync(fixture.Client, first.Value, Ready(first.Value), options, Ct);
        var current = await tunnels.GetAsync("web", Ct);

        Assert.True(first.Written);
        Assert.False(second.Written);
        Assert.Equal(first.Value.Metadata.ResourceVersion, current.Metadata.ResourceVersion);
        Assert.True(Conditions.IsTrue(current.Status?.Conditions, TunnelConditions.Ready));
        Assert.Contains(current.Metadata.ManagedFields!, f => f.Manager == "tunneloperator-status" && f.Operation == "Apply" && f.Subresource == "status");
        Assert.Equal(created.Spec.Target.Url, current.Spec.Target.Url);
    }

    [Fact]
    public async Task ReadmeExample_ReportsTheMissingEdge_ThenConvergesWhenItAppears()
    {
        var ns = await fixture.NamespaceAsync();
        await using var manager = Manager(ns);
        ReadmeExample.Register(manager);
        await manager.StartAsync(Ct);
        var tunnels = fixture.Client.Resource<Tunnel>(ns);
        var events = fixture.Client.Resource<Event>(ns);
        var start = await tunnels.ListAsync(cancellationToken: Ct);
        var eventsStart = await events.ListAsync(cancellationToken: Ct);

        await tunnels.CreateAsync(TestObjects.Tunnel("web"), cancellationToken: Ct);
        var waiting = await WatchUntilAsync(tunnels, start.Metadata.ResourceVersion, t => Conditions.Find(t.Status?.Conditions, "Ready")?.Reason == "EdgeNotFound");
        await fixture.Client.Resource<EdgeNode>(ns).CreateAsync(new EdgeNode { Metadata = new ObjectMeta { Name = "edge" }, Spec = new EdgeNodeSpec { BaseHost = "edge.example.com" } }, cancellationToken: Ct);
        var ready = await WatchUntilAsync(tunnels, waiting.Metadata.ResourceVersion, t => Conditions.IsTrue(t.Status?.Conditions, "Ready"));
        await foreach (var e in events.WatchAsync(new WatchOptions { ResourceVersion = eventsStart.Metadata.ResourceVersion, TimeoutSeconds = 30 }, Ct))
        {
            if (e.Object?.Reason == "EdgeNotFound")
            {
                break;
            }
        }

        var warnings = (await events.ListAsync(cancellationToken: Ct)).Items.Where(e => e.Reason == "EdgeNotFound").ToList();

        Assert.Contains(ReadmeExample.Finalizer, ready.Metadata.Finalizers!);
        Assert.Equal("Registered", Conditions.Find(ready.Status!.Conditions, "Ready")!.Reason);
        Assert.Equal(ready.Metadata.Generation, ready.Status.ObservedGeneration);
        Assert.Equal("Warning", Assert.Single(warnings).Type);
    }

    private static async Task<Tunnel> WatchUntilAsync(IResourceClient<Tunnel> tunnels, string? resourceVersion, Func<Tunnel, bool> done)
    {
        await foreach (var e in tunnels.WatchAsync(new WatchOptions { ResourceVersion = resourceVersion, TimeoutSeconds = 30 }, Ct))
        {
            if (e.Object is { } tunnel && done(tunnel))
            {
                return tunnel;
            }
        }

        throw new TimeoutException("the watch ended first");
    }

    private ControllerManager Manager(string ns, ILoggerFactory? loggers = null) => new(fixture.NewClient(), new ControllerManagerOptions
    {
        Cache = new InformerOptions { Namespace = ns, MinBackoff = TimeSpan.FromMilliseconds(10) },
        LoggerFactory = loggers,
    });

    private static Tunnel Ready(Tunnel tunnel) => tunnel with
    {
        Status = (tunnel.Status ?? new TunnelStatus()) with
        {
            ObservedGeneration = tunnel.Metadata.Generation,
            Conditions = Conditions.Set(tunnel.Status?.Conditions, TunnelConditions.Ready, ConditionStatus.True, "Reconciled", "everything in place", tunnel.Metadata.Generation),
        },
    };
}
