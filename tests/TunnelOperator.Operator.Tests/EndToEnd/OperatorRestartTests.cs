using TunnelOperator.Controllers;
using TunnelOperator.Controllers.Leadership;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Coordination;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.Tests.Support;

namespace TunnelOperator.Operator.Tests.EndToEnd;

/// <summary>
/// An operator stopped in the middle of a reconcile (cancelled at once, as a kill would) and started
/// again converges without leaking tokens; with leader election only the leader reconciles.
/// </summary>
public sealed class OperatorRestartTests(OperatorFixture fixture) : IClassFixture<OperatorFixture>
{
    [Fact]
    public async Task StoppedBetweenTheSecretAndTheDeployment_ARestartedOperatorKeepsTheTokenAndConverges()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = await fixture.NamespaceAsync();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await fixture.StartOperatorAsync(ns, configure: o => o with
        {
            AfterWrite = async (written, token) =>
            {
                if (written is Secret { Metadata.Name: "web-tunnel-token" })
                {
                    stopped.TrySetResult();
                    await Task.Delay(Timeout.Infinite, token); // the process "dies" here
                }
            },
        });
        await fixture.ApplyEdgeAsync(ns, "edge");
        await fixture.ApplyEchoAsync(ns, "web");
        await fixture.ApplyAsync(ns, OperatorFixture.TunnelYaml("web", "edge", "web", "shop"));
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
        await first.StopAsync(new CancellationToken(canceled: true));

        var secret = await fixture.Client.Resource<Secret>(ns).GetAsync("web-tunnel-token", ct);
        Assert.Null(await fixture.Client.Resource<Deployment>(ns).TryGetAsync("web-agent", ct));
        var tokenId = secret.Metadata.Annotations!["tunneloperator.io/token-id"];

        await fixture.StartOperatorAsync(ns);
        await fixture.KubectlAsync(ns, "wait", "--for=condition=Ready", "tunnel/web", "--timeout=90s");

        var tunnel = await fixture.Client.Resource<Tunnel>(ns).GetAsync("web", ct);
        var after = await fixture.Client.Resource<Secret>(ns).GetAsync("web-tunnel-token", ct);
        Assert.Equal(tokenId, after.Metadata.Annotations!["tunneloperator.io/token-id"]);
        Assert.Equal(secret.Data!["token"], after.Data!["token"]);
        var tokens = (await (await fixture.EdgeAdminAsync(ns, "edge")).ListTokensAsync(ct)).Where(t => t.Name == $"tunnel/{tunnel.Metadata.Uid}").ToList();
        Assert.Equal(tokenId, Assert.Single(tokens).Id.ToString());
    }

    [Fact]
    public async Task StoppedAfterIssuingATokenBeforeStoringIt_ARestartedOperatorRevokesTheOrphan()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = await fixture.NamespaceAsync();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await fixture.StartOperatorAsync(ns, configure: o => o with
        {
            AfterTokenIssued = async (_, token) =>
            {
                stopped.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            },
        });
        await fixture.ApplyEdgeAsync(ns, "edge");
        await fixture.ApplyEchoAsync(ns, "web");
        await fixture.ApplyAsync(ns, OperatorFixture.TunnelYaml("web", "edge", "web", null));
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
        await first.StopAsync(new CancellationToken(canceled: true));

        var tunnel = await fixture.Client.Resource<Tunnel>(ns).GetAsync("web", ct);
        var admin = await fixture.EdgeAdminAsync(ns, "edge");
        var name = $"tunnel/{tunnel.Metadata.Uid}";
        var orphan = Assert.Single(await admin.ListTokensAsync(ct), t => t.Name == name);
        Assert.Null(await fixture.Client.Resource<Secret>(ns).TryGetAsync("web-tunnel-token", ct));

        await fixture.StartOperatorAsync(ns);
        await fixture.KubectlAsync(ns, "wait", "--for=condition=Ready", "tunnel/web", "--timeout=90s");

        var secret = await fixture.Client.Resource<Secret>(ns).GetAsync("web-tunnel-token", ct);
        var kept = Assert.Single(await admin.ListTokensAsync(ct), t => t.Name == name);
        Assert.NotEqual(orphan.Id, kept.Id);
        Assert.Equal(kept.Id.ToString(), secret.Metadata.Annotations!["tunneloperator.io/token-id"]);
        // A Tunnel without spec.name gets a random subdomain.
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{4}$", (await fixture.Client.Resource<Tunnel>(ns).GetAsync("web", ct)).Status!.Subdomain);
    }

    [Fact]
    public async Task TwoOperatorsWithLeaderElection_OnlyTheLeaderReconcilesAndTheOtherTakesOver()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = await fixture.NamespaceAsync();
        var a = new ReconcileLog();
        var b = new ReconcileLog();
        LeaderElectionOptions Election(string identity) => new()
        {
            LeaseName = "tunneloperator-leader",
            LeaseNamespace = ns,
            Identity = identity,
            LeaseDuration = TimeSpan.FromSeconds(4),
            RenewDeadline = TimeSpan.FromSeconds(3),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        var leader = await fixture.StartOperatorAsync(ns, configure: o => o with { AfterReconcile = a.Record }, election: Election("a"));
        await fixture.WaitForAsync<Lease>(ns, "tunneloperator-leader", l => l?.Spec?.HolderIdentity == "a", "a leads");
        await fixture.StartOperatorAsync(ns, configure: o => o with { AfterReconcile = b.Record }, election: Election("b"));

        await fixture.ApplyAsync(ns, OperatorFixture.TunnelYaml("web", "nowhere", "web", "shop"));
        await fixture.WaitForAsync<Tunnel>(ns, "web", t => Conditions.Find(t?.Status?.Conditions, TunnelConditions.Ready)?.Reason == "EdgeNotFound", "the leader reports EdgeNotFound");
        Assert.True(a.Count(e => e.Name == "web") > 0);
        Assert.Equal(0, b.Count(_ => true));

        await leader.StopAsync(ct); // releases the lease
        await fixture.WaitForAsync<Lease>(ns, "tunneloperator-leader", l => l?.Spec?.HolderIdentity == "b", "b takes over");
        await fixture.Client.Resource<Tunnel>(ns).PatchAsync("web", Patch.Merge(new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["edgeRef"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "elsewhere" } },
        }), cancellationToken: ct);
        var moved = await fixture.WaitForAsync<Tunnel>(ns, "web", t => t?.Status?.ObservedGeneration == 2, "the new leader reconciles the change");
        Assert.Contains("elsewhere", Conditions.Find(moved!.Status!.Conditions, TunnelConditions.Ready)!.Message, StringComparison.Ordinal);
        Assert.True(b.Count(e => e.Name == "web") > 0);
    }
}
