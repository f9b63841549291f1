using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Leadership;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Controllers.Tests.Support;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Coordination;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Leadership;

/// <summary>Lease leader election between managers (replicas) on the real control plane.</summary>
public sealed class LeaderElectionTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private const string LeaseName = "tunneloperator-leader";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhenTheLeaderStops_ItReleases_AndTheOtherReplicaTakesOver()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("work"), cancellationToken: Ct);
        var passes = new Observations<string>();
        await using var a = Replica(ns, "replica-a", passes);
        await using var b = Replica(ns, "replica-b", passes);
        var leases = fixture.Client.Resource<Lease>(ns);

        await a.StartAsync(Ct);
        await passes.WaitAsync(p => p == "replica-a", "replica-a reconciling");
        await b.StartAsync(Ct);
        await b.Cache.WaitForSyncAsync(Ct); // followers keep a warm cache
        var bLedEarly = b.IsLeader;
        var beforeStop = passes.Items;
        await a.StopAsync(Ct);
        var afterRelease = (await leases.GetAsync(LeaseName, Ct)).Spec!;
        await passes.WaitAsync(p => p == "replica-b", "replica-b reconciling");
        var lease = (await leases.GetAsync(LeaseName, Ct)).Spec!;

        Assert.False(bLedEarly);
        Assert.DoesNotContain("replica-b", beforeStop); // a follower runs no controllers
        Assert.NotEqual("replica-a", afterRelease.HolderIdentity); // released on stop: no wait for expiry
        Assert.Equal("replica-b", lease.HolderIdentity);
        Assert.Equal(1, lease.LeaseTransitions);
        Assert.True(b.IsLeader);
        Assert.False(a.IsLeader);
        Assert.Equal(["replica-a", "replica-b"], passes.Items.Distinct());
    }

    [Fact]
    public async Task ALeaderThatCannotRenew_StopsReconcilingAtOnce()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("work"), cancellationToken: Ct);
        var entered = new Observations<string>();
        var cancelled = new Observations<string>();
        await using var leader = Replica(ns, "replica-c", entered, async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.Add("work");
                throw;
            }
        });
        await leader.StartAsync(Ct);
        await entered.WaitAsync(_ => true, "the reconcile in flight");

        // Someone else takes the lease (a replica that saw it expire, an admin): renewals now fail.
        await TakeLeaseAsync(ns, "intruder");
        await cancelled.WaitAsync(_ => true, "the reconcile cancelled by the lost lease");

        Assert.False(leader.IsLeader);
        Assert.Contains(leader.RenderMetrics().Split('\n'), l => l.StartsWith("tunneloperator_leader_is_leader{", StringComparison.Ordinal) && l.EndsWith(" 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiryIsMeasuredOnTheCandidatesOwnClock_FromWhenItSawTheRecordChange()
    {
        var ns = await fixture.NamespaceAsync();
        var leases = fixture.Client.Resource<Lease>(ns);
        var ancient = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await leases.CreateAsync(new Lease
        {
            Metadata = new ObjectMeta { Name = LeaseName },
            Spec = new LeaseSpec { HolderIdentity = "other", LeaseDurationSeconds = 10, AcquireTime = ancient, RenewTime = ancient, LeaseTransitions = 3 },
        }, cancellationToken: Ct);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var elector = new LeaderElector(fixture.Client, new LeaderElectionOptions
        {
            LeaseName = LeaseName,
            LeaseNamespace = ns,
            Identity = "me",
            LeaseDuration = TimeSpan.FromSeconds(10),
            RenewDeadline = TimeSpan.FromSeconds(5),
            RetryPeriod = TimeSpan.FromSeconds(1),
        }, time);

        var firstLook = await elector.TryAcquireOrRenewAsync(Ct);       // renewTime is ancient, but the record is new to us
        time.Advance(TimeSpan.FromSeconds(9));
        var nineSecondsLater = await elector.TryAcquireOrRenewAsync(Ct);
        var held = await leases.GetAsync(LeaseName, Ct);
        await leases.ReplaceAsync(held with { Spec = held.Spec! with { RenewTime = ancient.AddSeconds(1) } }, cancellationToken: Ct); // "other" renews
        time.Advance(TimeSpan.FromSeconds(5));
        var afterTheRenewal = await elector.TryAcquireOrRenewAsync(Ct); // 14 s since first seen: the change is seen now
        time.Advance(TimeSpan.FromSeconds(9));
        var nineSecondsAfterTheChange = await elector.TryAcquireOrRenewAsync(Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await elector.TryAcquireOrRenewAsync(Ct);         // 10 s without a change
        var taken = (await leases.GetAsync(LeaseName, Ct)).Spec!;

        Assert.Equal((false, false, false, false, true), (firstLook, nineSecondsLater, afterTheRenewal, nineSecondsAfterTheChange, expired));
        Assert.Equal(("me", 4, 10), (taken.HolderIdentity, taken.LeaseTransitions, taken.LeaseDurationSeconds));
        Assert.Equal("me", elector.ObservedLeader);
    }

    [Fact]
    public async Task Elector_WorkThatIgnoresTheStop_IsAbandoned_AndTheLeaseLeftToExpire()
    {
        var ns = await fixture.NamespaceAsync();
        var elector = new LeaderElector(fixture.Client, new LeaderElectionOptions
        {
            LeaseName = LeaseName,
            LeaseNamespace = ns,
            Identity = "stubborn",
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        });
        var leading = new Observations<string>();
        var leaders = new Observations<string>();
        var stoppedLeading = new Observations<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(new LeaderElectionCallbacks
        {
            OnStartedLeading = async _ =>
            {
                leading.Add("started");
                await release.Task; // ignores its token on purpose
            },
            OnStoppedLeading = () => stoppedLeading.Add("stopped"),
            OnNewLeader = leaders.Add,
        }, stop.Token);

        await leading.WaitAsync(_ => true, "leading");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var lease = (await fixture.Client.Resource<Lease>(ns).GetAsync(LeaseName, Ct)).Spec!;
        release.SetResult();

        Assert.False(elector.IsLeader);
        Assert.Equal("stubborn", lease.HolderIdentity); // not released while the work may still write
        Assert.Equal(["stopped"], stoppedLeading.Items);
        Assert.Equal(["stubborn"], leaders.Items);
    }

    private ControllerManager Replica(string ns, string identity, Observations<string> passes, Func<CancellationToken, Task>? work = null)
    {
        var manager = new ControllerManager(fixture.NewClient(), new ControllerManagerOptions
        {
            Name = identity,
            Cache = new InformerOptions { Namespace = ns, MinBackoff = TimeSpan.FromMilliseconds(10) },
            // Short timings keep the test quick; client-go's proportions (lease > deadline > retry).
            LeaderElection = new LeaderElectionOptions
            {
                LeaseName = LeaseName,
                LeaseNamespace = ns,
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(4),
                RenewDeadline = TimeSpan.FromSeconds(3),
                RetryPeriod = TimeSpan.FromMilliseconds(100),
            },
        });
        manager.NewController("configmaps").For<ConfigMap>().Complete(new DelegateReconciler<ConfigMap>(async (_, ct) =>
        {
            passes.Add(identity);
            if (work is not null)
            {
                await work(ct);
            }

            return ReconcileResult.Done;
        }));
        return manager;
    }

    private async Task TakeLeaseAsync(string ns, string holder)
    {
        var leases = fixture.Client.Resource<Lease>(ns);
        for (var attempt = 0; ; attempt++)
        {
            var lease = await leases.GetAsync(LeaseName, Ct);
            try
            {
                await leases.ReplaceAsync(lease with
                {
                    Spec = lease.Spec! with { HolderIdentity = holder, RenewTime = DateTimeOffset.UtcNow, LeaseDurationSeconds = 3600 },
                }, cancellationToken: Ct);
                return;
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt < 50)
            {
                // The leader renewed in between; read again.
            }
        }
    }
}
