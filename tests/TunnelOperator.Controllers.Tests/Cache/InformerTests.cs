using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Tests.Support;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Cache;

/// <summary>The informer against the real control plane, whose watch log keeps only 50 events.</summary>
public sealed class InformerTests(SmallWatchCacheFixture fixture) : IClassFixture<SmallWatchCacheFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Change(string Type, string Name, string? Value);

    [Fact]
    public async Task ListThenWatch_DeliversEveryChange_AndTheCacheFollows()
    {
        var ns = await fixture.NamespaceAsync();
        var maps = fixture.Client.Resource<ConfigMap>(ns);
        await maps.CreateAsync(TestObjects.ConfigMap("a"), cancellationToken: Ct);
        await maps.CreateAsync(TestObjects.ConfigMap("b"), cancellationToken: Ct);
        await using var running = Start(fixture.Client, ns, out var informer, out var changes);

        await informer.WaitForSyncAsync(Ct);
        var listed = changes.Items.ToList();
        await maps.CreateAsync(TestObjects.ConfigMap("c"), cancellationToken: Ct);
        await maps.PatchAsync("a", Patch.Merge(new JsonObject { ["data"] = new JsonObject { ["key"] = "2" } }), cancellationToken: Ct);
        await maps.DeleteAsync("b", cancellationToken: Ct);
        await changes.WaitAsync(c => c is { Type: "Deleted", Name: "b" }, "the delete of b");
        var replayed = new List<string>();
        using var late = informer.AddEventHandler(new ResourceEventHandler<ConfigMap> { Added = m => replayed.Add(m.Metadata.Name!) });

        Assert.Equal(["Added a 1", "Added b 1"], listed.Select(Text).Order(StringComparer.Ordinal));
        Assert.Equal(["Added c 1", "Updated a 2", "Deleted b 1"], changes.Items.Skip(2).Select(Text));
        Assert.Equal(["a", "c"], informer.List().Select(m => m.Metadata.Name!).Order(StringComparer.Ordinal));
        Assert.Equal("2", informer.TryGet(new ObjectKey(ns, "a"))!.Data!["key"]);
        Assert.Null(informer.TryGet(new ObjectKey(ns, "b")));
        Assert.Equal(["a", "c"], replayed.Order(StringComparer.Ordinal)); // a handler added later is told what is cached
    }

    [Fact]
    public async Task Transform_AppliesToListedAndWatchedObjects_TrimManagedFieldsKeepsTheManagers()
    {
        var ns = await fixture.NamespaceAsync();
        var maps = fixture.Client.Resource<ConfigMap>(ns);
        await maps.CreateAsync(TestObjects.ConfigMap("a"), cancellationToken: Ct);
        Assert.NotNull((await maps.GetAsync("a", Ct)).Metadata.ManagedFields?.Single().FieldsV1); // the server records field sets

        var informer = new Informer<ConfigMap>(fixture.Client, new InformerOptions { Namespace = ns, Transform = InformerTransforms.TrimManagedFields });
        var seen = new Observations<ConfigMap>();
        informer.AddEventHandler(new ResourceEventHandler<ConfigMap> { Added = seen.Add, Updated = (_, m) => seen.Add(m) });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct);
        await maps.CreateAsync(TestObjects.ConfigMap("b"), cancellationToken: Ct);
        await seen.WaitAsync(m => m.Metadata.Name == "b", "the watched add of b");
        await stop.CancelAsync();
        await run;

        foreach (var cached in informer.List())
        {
            var entry = Assert.Single(cached.Metadata.ManagedFields!);
            Assert.False(string.IsNullOrEmpty(entry.Manager));
            Assert.Equal("Update", entry.Operation);
            Assert.Null(entry.FieldsV1);
        }

        Assert.All(seen.Items, m => Assert.Null(m.Metadata.ManagedFields!.Single().FieldsV1)); // handlers see what is cached
        Assert.Equal(["a", "b"], informer.List().Select(m => m.Metadata.Name!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResumingFromAnExpiredVersion_Relists_AndReportsOnlyWhatDiffers()
    {
        var ns = await fixture.NamespaceAsync();
        var maps = fixture.Client.Resource<ConfigMap>(ns);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await maps.CreateAsync(TestObjects.ConfigMap(name), cancellationToken: Ct);
        }

        var client = new InterceptingClient(fixture.Client);
        await using var running = Start(client, ns, out var informer, out var changes);
        await informer.WaitForSyncAsync(Ct);
        await client.Verbs.WaitAsync(v => v == "watch", "the first watch");

        // The watch ends as a server timeout ends it; the informer watches again from its last
        // version, and is held there while the cluster moves on by more than the watch log keeps.
        client.Hold();
        var rewatch = client.Verbs.WaitNextAsync(v => v == "watch", "the second watch");
        client.CutWatches(broken: false);
        await rewatch;
        await maps.PatchAsync("b", Patch.Merge(new JsonObject { ["data"] = new JsonObject { ["key"] = "2" } }), cancellationToken: Ct);
        await maps.DeleteAsync("c", cancellationToken: Ct);
        await maps.CreateAsync(TestObjects.ConfigMap("d"), cancellationToken: Ct);
        await ChurnAsync(60);
        var seen = changes.Items.Count;
        var lists = client.Calls("list");
        client.Release();

        var expired = await client.WatchErrors.WaitAsync(e => e is ResourceVersionExpiredException, "the 410 of the late watch");
        await changes.WaitAsync(c => c is { Type: "Added", Name: "d" }, "the synthetic add of d");
        await changes.WaitAsync(c => c is { Type: "Deleted", Name: "c" }, "the synthetic delete of c");

        Assert.IsType<ResourceVersionExpiredException>(expired);
        Assert.Equal(lists + 1, client.Calls("list"));
        Assert.Equal(["Added d 1", "Deleted c 1", "Updated b 2"], changes.Items.Skip(seen).Select(Text).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "d"], informer.List().Select(m => m.Metadata.Name!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BrokenWatch_RelistsAfterABackoff_AndCatchesUp()
    {
        var ns = await fixture.NamespaceAsync();
        var maps = fixture.Client.Resource<ConfigMap>(ns);
        await maps.CreateAsync(TestObjects.ConfigMap("a"), cancellationToken: Ct);
        await maps.CreateAsync(TestObjects.ConfigMap("b"), cancellationToken: Ct);
        var client = new InterceptingClient(fixture.Client);
        await using var running = Start(client, ns, out var informer, out var changes);
        await informer.WaitForSyncAsync(Ct);
        await client.Verbs.WaitAsync(v => v == "watch", "the first watch");

        client.Hold();
        var relist = client.Verbs.WaitNextAsync(v => v == "list", "the relist");
        client.CutWatches(broken: true);
        await relist;
        await maps.PatchAsync("a", Patch.Merge(new JsonObject { ["data"] = new JsonObject { ["key"] = "2" } }), cancellationToken: Ct);
        await maps.DeleteAsync("b", cancellationToken: Ct);
        var seen = changes.Items.Count;
        client.Release();

        await changes.WaitAsync(c => c is { Type: "Deleted", Name: "b" }, "the synthetic delete of b");

        Assert.Equal(["Deleted b 1", "Updated a 2"], changes.Items.Skip(seen).Select(Text).Order(StringComparer.Ordinal));
        Assert.True(informer.HasSynced);
    }

    [Fact]
    public async Task Resync_ReplaysEveryCachedObjectAsAnUpdate()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("a"), cancellationToken: Ct);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var informer = new Informer<ConfigMap>(fixture.Client, new InformerOptions { Namespace = ns, ResyncPeriod = TimeSpan.FromMinutes(10), TimeProvider = time });
        var updates = new Observations<(ConfigMap Old, ConfigMap New)>();
        informer.AddEventHandler(new ResourceEventHandler<ConfigMap> { Updated = (o, n) => updates.Add((o, n)) });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct);

        time.Advance(TimeSpan.FromMinutes(10));
        var (old, current) = await updates.WaitAsync(_ => true, "the resync");
        await stop.CancelAsync();
        await run;

        Assert.Same(old, current);
        Assert.Equal("a", current.Metadata.Name);
    }

    private static string Text(Change c) => $"{c.Type} {c.Name} {c.Value}";

    private static Running Start(IKubernetesClient client, string ns, out Informer<ConfigMap> informer, out Observations<Change> changes)
    {
        var seen = new Observations<Change>();
        var started = new Informer<ConfigMap>(client, new InformerOptions { Namespace = ns, MinBackoff = TimeSpan.FromMilliseconds(10) });
        started.AddEventHandler(new ResourceEventHandler<ConfigMap>
        {
            Added = m => seen.Add(new Change("Added", m.Metadata.Name!, m.Data?["key"])),
            Updated = (_, m) => seen.Add(new Change("Updated", m.Metadata.Name!, m.Data?["key"])),
            Deleted = m => seen.Add(new Change("Deleted", m.Metadata.Name!, m.Data?["key"])),
        });
        informer = started;
        changes = seen;
        var stop = new CancellationTokenSource();
        return new Running(stop, started.RunAsync(stop.Token));
    }

    /// <summary>Writes elsewhere, so the watch log forgets older versions.</summary>
    private async Task ChurnAsync(int writes)
    {
        var other = fixture.Client.Resource<ConfigMap>(await fixture.NamespaceAsync());
        await other.CreateAsync(TestObjects.ConfigMap("churn"), cancellationToken: Ct);
        for (var i = 0; i < writes; i++)
        {
            await other.PatchAsync("churn", Patch.Merge(new JsonObject { ["data"] = new JsonObject { ["key"] = $"{i}" } }), cancellationToken: Ct);
        }
    }

    private sealed class Running(CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
        }
    }
}
