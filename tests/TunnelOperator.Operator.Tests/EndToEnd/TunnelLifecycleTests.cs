using TunnelOperator.Controllers;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.Tests.Support;

namespace TunnelOperator.Operator.Tests.EndToEnd;

/// <summary>
/// From <c>kubectl apply</c> of an EdgeNode, a <c>tunneld echo</c> origin and a Tunnel to a curl through
/// the edge's LoadBalancer, then deletion: the real kubectl 1.33, the local control plane running the
/// real bin/tunneld and bin/tunnelctl as pods, the operator in-process.
/// </summary>
public sealed class TunnelLifecycleTests(OperatorFixture fixture) : IClassFixture<OperatorFixture>
{
    [Fact]
    public async Task ApplyEdgeAndTunnel_CurlReachesTheOrigin_UnchangedWritesNothing_DeletionLeavesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = await fixture.NamespaceAsync();
        var client = new CountingClient(fixture.NewClient());
        var reconciles = new ReconcileLog();
        await fixture.StartOperatorAsync(ns, client, o => o with { AfterReconcile = reconciles.Record });

        var edge = await fixture.ApplyEdgeAsync(ns, "edge");
        await fixture.ApplyEchoAsync(ns, "web");
        await fixture.ApplyAsync(ns, OperatorFixture.TunnelYaml("web", "edge", "web", "shop"));
        await fixture.KubectlAsync(ns, "wait", "--for=condition=Ready", "tunnel/web", "--timeout=90s");

        // The public URL works from outside: curl resolves *.localhost itself and trusts only the edge's CA.
        var tunnel = await fixture.Client.Resource<Tunnel>(ns).GetAsync("web", ct);
        Assert.Matches($"^https://shop-{ns}-[0-9a-f]{{4}}\\.tunnels\\.localhost:{edge.HttpsPort}/$", tunnel.Status!.PublicUrl);
        Assert.Equal((1, "edge"), (tunnel.Status.ConnectedAgents, tunnel.Status.Edge));
        var (exit, body) = await fixture.CurlAsync(ns, "edge", tunnel.Status.PublicUrl + "hello?from=e2e");
        Assert.True(exit == 0, body);
        Assert.Contains("\"path\": \"/hello\"", body, StringComparison.Ordinal);
        Assert.Contains("\"query\": \"?from=e2e\"", body, StringComparison.Ordinal);

        var table = (await fixture.KubectlAsync(ns, "get", "tunnels")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "URL", "READY", "REASON", "AGE"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal<string>(["web", tunnel.Status.PublicUrl!, "True", "AgentConnected"], table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
        var edgeNode = await fixture.WaitForAsync<EdgeNode>(ns, "edge", e => Conditions.IsTrue(e?.Status?.Conditions, EdgeNodeConditions.Ready), "edge ready");
        Assert.Equal(("127.0.0.1", 1), (edgeNode!.Status!.Address, edgeNode.Status.ReadyReplicas));

        // Reconciled again with nothing changed: not one write, and the objects keep their resourceVersions.
        await reconciles.WaitForMoreAsync("tunnels", ns, "web", 1, "a settling reconcile");
        await reconciles.WaitForMoreAsync("edgenodes", ns, "edge", 1, "a settling reconcile");
        var writes = client.TotalWrites;
        var versions = await VersionsAsync(ns);
        await reconciles.WaitForMoreAsync("tunnels", ns, "web", 3, "three more reconciles");
        await reconciles.WaitForMoreAsync("edgenodes", ns, "edge", 2, "two more reconciles");
        Assert.True(writes == client.TotalWrites, $"unchanged objects were written: {string.Join(", ", client.Writes.Select(w => $"{w.Key} {w.Value}"))} (before: {writes})");
        Assert.Equal(versions, await VersionsAsync(ns));

        // Deleting the Tunnel takes its agent, its Secret and its token on the edge.
        var admin = await fixture.EdgeAdminAsync(ns, "edge");
        var tokenName = $"tunnel/{tunnel.Metadata.Uid}";
        Assert.Single(await admin.ListTokensAsync(ct), t => t.Name == tokenName);
        await fixture.KubectlAsync(ns, "delete", "tunnel", "web", "--timeout=60s");
        await fixture.WaitForAsync<Deployment>(ns, "web-agent", d => d is null, "agent Deployment gone");
        await fixture.WaitForAsync<Secret>(ns, "web-tunnel-token", s => s is null, "token Secret gone");
        await fixture.WaitForNoneAsync<Pod>(ns, "tunneloperator.io/tunnel=web", "agent pods gone");
        Assert.DoesNotContain(await admin.ListTokensAsync(ct), t => t.Name == tokenName);
        Assert.Empty(await admin.ListTunnelsAsync(ct));

        // Deleting the EdgeNode takes everything it made.
        await fixture.KubectlAsync(ns, "delete", "edgenode", "edge", "--timeout=60s");
        foreach (var name in new[] { "edge-edge" })
        {
            await fixture.WaitForAsync<Deployment>(ns, name, d => d is null, $"Deployment {name} gone");
        }

        foreach (var name in new[] { "edge", "edge-admin" })
        {
            await fixture.WaitForAsync<Service>(ns, name, s => s is null, $"Service {name} gone");
        }

        foreach (var name in new[] { "edge-admin-token", "edge-ca" })
        {
            await fixture.WaitForAsync<Secret>(ns, name, s => s is null, $"Secret {name} gone");
        }

        await fixture.WaitForNoneAsync<Pod>(ns, "tunneloperator.io/edgenode=edge", "edge pods gone");
        Assert.DoesNotContain((await fixture.Client.Resource<Secret>(ns).ListAsync(cancellationToken: ct)).Items, s => s.Metadata.Labels?.ContainsKey("app.kubernetes.io/managed-by") == true);
    }

    [Fact]
    public async Task TwoTunnelsWithOneName_OneConnectsAndTheOtherReportsNameConflict()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.StartOperatorAsync(ns);
        await fixture.ApplyEdgeAsync(ns, "edge");
        await fixture.ApplyEchoAsync(ns, "web");
        await fixture.ApplyAsync(ns, OperatorFixture.TunnelYaml("first", "edge", "web", "dup") + "\n---\n" + OperatorFixture.TunnelYaml("second", "edge", "web", "dup"));

        static string? Reason(Tunnel? t) => Conditions.Find(t?.Status?.Conditions, TunnelConditions.Ready)?.Reason;
        var first = await fixture.WaitForAsync<Tunnel>(ns, "first", t => Reason(t) is "AgentConnected" or "NameConflict", "first settles", 90);
        var other = Reason(first) == "AgentConnected" ? "NameConflict" : "AgentConnected";
        var second = await fixture.WaitForAsync<Tunnel>(ns, "second", t => Reason(t) == other, $"second reports {other}", 90);

        var (winner, loser) = Reason(first) == "AgentConnected" ? (first!, second!) : (second!, first!);
        Assert.Null(loser.Status!.PublicUrl);
        Assert.Contains(winner.Status!.Subdomain!, Conditions.Find(loser.Status.Conditions, TunnelConditions.Ready)!.Message, StringComparison.Ordinal);
        Assert.StartsWith($"dup-{ns}-", winner.Status.Subdomain, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string?>> VersionsAsync(string ns)
    {
        var ct = TestContext.Current.CancellationToken;
        var secrets = fixture.Client.Resource<Secret>(ns);
        var deployments = fixture.Client.Resource<Deployment>(ns);
        return
        [
            (await fixture.Client.Resource<Tunnel>(ns).GetAsync("web", ct)).Metadata.ResourceVersion,
            (await fixture.Client.Resource<EdgeNode>(ns).GetAsync("edge", ct)).Metadata.ResourceVersion,
            (await secrets.GetAsync("web-tunnel-token", ct)).Metadata.ResourceVersion,
            (await secrets.GetAsync("edge-admin-token", ct)).Metadata.ResourceVersion,
            (await secrets.GetAsync("edge-ca", ct)).Metadata.ResourceVersion,
            (await fixture.Client.Resource<Service>(ns).GetAsync("edge", ct)).Metadata.Generation?.ToString(),
            (await deployments.GetAsync("web-agent", ct)).Metadata.Generation?.ToString(),
            (await deployments.GetAsync("edge-edge", ct)).Metadata.Generation?.ToString(),
        ];
    }
}
