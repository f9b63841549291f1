using System.Text.Json.Nodes;
using TunnelOperator.Controllers;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.EdgeAdmin;
using TunnelOperator.Operator.Tests.Support;

namespace TunnelOperator.Operator.Tests.EndToEnd;

/// <summary>Tunnels whose edge is missing, unreachable, or deleted: honest reasons and never a stuck object.</summary>
public sealed class EdgeOutageTests(OperatorFixture fixture) : IClassFixture<OperatorFixture>
{
    private static string? Reason(Tunnel? t) => Conditions.Find(t?.Status?.Conditions, TunnelConditions.Ready)?.Reason;

    [Fact]
    public async Task TunnelBeforeItsEdge_ReportsEdgeNotFound_ThenConnectsOnceTheEdgeExists()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.StartOperatorAsync(ns);
        await fixture.ApplyEchoAsync(ns, "web");
        await fixture.ApplyAsync(ns, OperatorFixture.TunnelYaml("web", "edge", "web", "shop"));

        await fixture.WaitForAsync<Tunnel>(ns, "web", t => Reason(t) == "EdgeNotFound", "EdgeNotFound");
        var row = (await fixture.KubectlAsync(ns, "get", "tunnel", "web", "--no-headers")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["web", "False", "EdgeNotFound"], row[..3]);

        await fixture.ApplyEdgeAsync(ns, "edge");
        await fixture.KubectlAsync(ns, "wait", "--for=condition=Ready", "tunnel/web", "--timeout=90s");
    }

    [Fact]
    public async Task EdgeUnreachable_DeletionWaitsAndRetries_ThenCompletesWhenTheEdgeReturnsOrIsDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = await fixture.NamespaceAsync();
        var reconciles = new ReconcileLog();
        await fixture.StartOperatorAsync(ns, configure: o => o with { AfterReconcile = reconciles.Record });
        await fixture.ApplyEdgeAsync(ns, "edge");
        await fixture.ApplyEchoAsync(ns, "web");
        await fixture.ApplyAsync(ns, string.Join("\n---\n",
            OperatorFixture.TunnelYaml("one", "edge", "web", "one"),
            OperatorFixture.TunnelYaml("two", "edge", "web", "two"),
            OperatorFixture.TunnelYaml("three", "edge", "web", "three")));
        foreach (var name in new[] { "one", "two", "three" })
        {
            await fixture.KubectlAsync(ns, "wait", "--for=condition=Ready", $"tunnel/{name}", "--timeout=90s");
        }

        // 1. The edge goes away for a while; deleting "one" meanwhile fails its cleanup and keeps the object.
        await ScaleEdgeAsync(ns, 0);
        await fixture.KubectlAsync(ns, "delete", "tunnel", "one", "--wait=false");
        await reconciles.WaitAsync(e => e.Controller == "tunnels" && e.Name == "one" && e.Error is EdgeAdminException, 2, "cleanup retried while the edge is down");
        Assert.NotNull((await fixture.Client.Resource<Tunnel>(ns).GetAsync("one", ct)).Metadata.DeletionTimestamp);

        // 2. It returns (with an empty store: emptyDir): the token is gone there, so the cleanup succeeds.
        await ScaleEdgeAsync(ns, 1);
        await fixture.KubectlAsync(ns, "wait", "--for=delete", "tunnel/one", "--timeout=60s");

        // 3. It goes away again and is then deleted for good: its tokens went with its store.
        await ScaleEdgeAsync(ns, 0);
        await fixture.KubectlAsync(ns, "delete", "tunnel", "two", "--wait=false");
        await reconciles.WaitAsync(e => e.Controller == "tunnels" && e.Name == "two" && e.Error is EdgeAdminException, 1, "cleanup fails while the edge is down");
        await fixture.KubectlAsync(ns, "delete", "edgenode", "edge", "--wait=false");
        await fixture.KubectlAsync(ns, "wait", "--for=delete", "tunnel/two", "--timeout=60s");
        await fixture.WaitForAsync<Tunnel>(ns, "three", t => Reason(t) == "EdgeNotFound", "the remaining tunnel reports EdgeNotFound");
    }

    private async Task ScaleEdgeAsync(string ns, int replicas)
    {
        await fixture.Client.Resource<EdgeNode>(ns).PatchAsync("edge", Patch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }),
            cancellationToken: TestContext.Current.CancellationToken);
        if (replicas == 0)
        {
            await fixture.WaitForNoneAsync<Pod>(ns, "tunneloperator.io/edgenode=edge", "edge pods stopped");
        }
        else
        {
            await fixture.WaitForAsync<EdgeNode>(ns, "edge", e => Conditions.IsTrue(e?.Status?.Conditions, EdgeNodeConditions.Ready) && e!.Status!.ObservedGeneration == e.Metadata.Generation, "edge ready again");
        }
    }
}
