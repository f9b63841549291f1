using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.ApiExtensions;
using TunnelOperator.Kubernetes.Models.Coordination;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.References;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Integration;

/// <summary>The client's scenarios against the real local control plane (src/TunnelOperator.ControlPlane), an implementation this client's authors did not write.</summary>
public sealed class LocalControlPlaneTests(LocalControlPlaneFixture fixture) : IClassFixture<LocalControlPlaneFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private KubernetesClient Client => fixture.Client;

    private static ConfigMap Settings(string name, string value = "1") =>
        new() { Metadata = new ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["key"] = value } };

    [Fact]
    public async Task Crud_WithConflictsNotFoundAndAlreadyExists()
    {
        var configMaps = Client.Resource<ConfigMap>(await fixture.NamespaceAsync());

        var created = await configMaps.CreateAsync(Settings("settings"), cancellationToken: Ct);
        var exists = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.CreateAsync(Settings("settings"), cancellationToken: Ct));
        var updated = await configMaps.ReplaceAsync(created with { Data = new Dictionary<string, string> { ["key"] = "2" } }, cancellationToken: Ct);
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.ReplaceAsync(created, cancellationToken: Ct));
        var missing = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.GetAsync("absent", Ct));
        var invalid = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.CreateAsync(Settings("Bad_Name"), cancellationToken: Ct));

        Assert.True(exists.IsAlreadyExists);
        Assert.Equal("2", (await configMaps.GetAsync("settings", Ct)).Data!["key"]);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.True(conflict.IsConflict);
        Assert.True(missing.IsNotFound);
        Assert.Null(await configMaps.TryGetAsync("absent", Ct));
        Assert.True(invalid.IsInvalid);
        Assert.Contains(invalid.Status.Details!.Causes!, c => c.Field == "metadata.name");
    }

    [Fact]
    public async Task Patches_InEveryFormat()
    {
        var configMaps = Client.Resource<ConfigMap>(await fixture.NamespaceAsync());
        await configMaps.CreateAsync(Settings("settings"), cancellationToken: Ct);

        await configMaps.PatchAsync("settings", Patch.Merge(new JsonObject { ["data"] = new JsonObject { ["merge"] = "yes" } }), cancellationToken: Ct);
        await configMaps.PatchAsync("settings", Patch.StrategicMerge(new JsonObject { ["data"] = new JsonObject { ["strategic"] = "yes" } }), cancellationToken: Ct);
        var patched = await configMaps.PatchAsync("settings", Patch.Json(new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/key", ["value"] = "1" },
            new JsonObject { ["op"] = "add", ["path"] = "/data/json", ["value"] = "yes" })), cancellationToken: Ct);
        var failedTest = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.PatchAsync("settings", Patch.Json(new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/key", ["value"] = "other" })), cancellationToken: Ct));

        Assert.Equal(["json", "key", "merge", "strategic"], patched.Data!.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(failedTest.Code, 400, 499);
    }

    [Fact]
    public async Task ServerSideApply_CreatesOwnsAndConflictsUnlessForced()
    {
        var configMaps = Client.Resource<ConfigMap>(await fixture.NamespaceAsync());

        var applied = await configMaps.ApplyAsync(Settings("settings"), new ApplyOptions { FieldManager = "tunneloperator" }, Ct);
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.ApplyAsync(Settings("settings", "2"), new ApplyOptions { FieldManager = "someone-else" }, Ct));
        var forced = await configMaps.ApplyAsync(Settings("settings", "2"), new ApplyOptions { FieldManager = "someone-else", Force = true }, Ct);
        var dryRun = await configMaps.ApplyAsync(Settings("settings", "3"), new ApplyOptions { FieldManager = "someone-else", DryRun = true }, Ct);

        Assert.Contains(applied.Metadata.ManagedFields!, f => f.Manager == "tunneloperator" && f.Operation == "Apply");
        Assert.True(conflict.IsConflict);
        Assert.NotEmpty(conflict.Status.Details!.Causes!);
        Assert.Equal("2", forced.Data!["key"]);
        Assert.Equal("3", dryRun.Data!["key"]);
        Assert.Equal("2", (await configMaps.GetAsync("settings", Ct)).Data!["key"]);
    }

    [Fact]
    public async Task Delete_WithAFinalizerIsPending_ThenGone_ThenAlreadyGone()
    {
        var configMaps = Client.Resource<ConfigMap>(await fixture.NamespaceAsync());
        await configMaps.CreateAsync(Settings("held") with { Metadata = new ObjectMeta { Name = "held", Finalizers = ["tunneloperator.io/cleanup"] } }, cancellationToken: Ct);

        var pending = await configMaps.DeleteAsync("held", new DeleteOptions { PropagationPolicy = PropagationPolicy.Background }, Ct);
        await configMaps.PatchAsync("held", Patch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }), cancellationToken: Ct);
        var gone = await configMaps.DeleteAsync("held", cancellationToken: Ct);

        Assert.Equal(DeleteOutcome.Pending, pending.Outcome);
        Assert.NotNull(pending.Object!.Metadata.DeletionTimestamp);
        Assert.True(gone.WasAlreadyGone);
        Assert.Null(await configMaps.TryGetAsync("held", Ct));
    }

    [Fact]
    public async Task ListAll_PagesThroughContinueTokens()
    {
        var configMaps = Client.Resource<ConfigMap>(await fixture.NamespaceAsync());
        for (var i = 0; i < 7; i++)
        {
            await configMaps.CreateAsync(Settings($"m{i}") with { Metadata = new ObjectMeta { Name = $"m{i}", Labels = new Dictionary<string, string> { ["parity"] = i % 2 == 0 ? "even" : "odd" } } }, cancellationToken: Ct);
        }

        var all = await configMaps.ListAllAsync(new ListOptions { Limit = 3 }, Ct).ToListAsync(Ct);
        var even = await configMaps.ListAsync(new ListOptions { LabelSelector = "parity=even" }, Ct);

        Assert.Equal(7, all.Select(m => m.Metadata.Name).Distinct().Count(n => n!.StartsWith('m')));
        Assert.Equal(4, even.Items.Count);
        Assert.All(all, m => Assert.Equal("ConfigMap", m.Kind));
    }

    [Fact]
    public async Task Watch_SeesAddedModifiedDeleted_FromTheListVersion()
    {
        var ns = await fixture.NamespaceAsync();
        var configMaps = Client.Resource<ConfigMap>(ns);
        var list = await configMaps.ListAsync(cancellationToken: Ct);

        // Changes made before the watch opens are still delivered: it starts from the list's version.
        var created = await configMaps.CreateAsync(Settings("watched"), cancellationToken: Ct);
        await configMaps.ReplaceAsync(created with { Data = new Dictionary<string, string> { ["key"] = "2" } }, cancellationToken: Ct);
        await configMaps.DeleteAsync("watched", cancellationToken: Ct);

        var seen = new List<WatchEvent<ConfigMap>>();
        await foreach (var e in configMaps.WatchAsync(new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, TimeoutSeconds = 60 }, Ct))
        {
            seen.Add(e);
            if (seen.Count(x => x.Type != WatchEventType.Bookmark) == 3)
            {
                break;
            }
        }

        var changes = seen.Where(e => e.Type != WatchEventType.Bookmark).ToList();
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], changes.Select(e => e.Type));
        Assert.Equal("2", changes[1].Object!.Data!["key"]);
    }

    [Fact]
    public async Task Watch_FromAVersionTheServerNoLongerKeeps_IsResourceVersionExpired()
    {
        using var directory = new TempDirectory();
        await using var plane = await LocalControlPlaneFixture.StartAsync(directory.Path, watchCacheCapacity: 3);
        using var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(plane.KubeconfigPath));
        var configMaps = client.Resource<ConfigMap>("default");
        var first = await configMaps.CreateAsync(Settings("c0"), cancellationToken: Ct);
        for (var i = 1; i < 10; i++)
        {
            await configMaps.CreateAsync(Settings($"c{i}"), cancellationToken: Ct);
        }

        await Assert.ThrowsAsync<ResourceVersionExpiredException>(async () =>
            await configMaps.WatchAsync(new WatchOptions { ResourceVersion = first.Metadata.ResourceVersion, TimeoutSeconds = 5 }, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task CustomResource_ThroughTheDynamicClient_WithStatusSubresource()
    {
        var group = "t" + Guid.NewGuid().ToString("N")[..8] + ".tunneloperator.io";
        var crd = new CustomResourceDefinition
        {
            Metadata = new ObjectMeta { Name = "widgets." + group },
            Spec = new CustomResourceDefinitionSpec
            {
                Group = group,
                Names = new CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget", ListKind = "WidgetList" },
                Scope = "Namespaced",
                Versions =
                [
                    new CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Schema = new CustomResourceValidation
                        {
                            OpenAPIV3Schema = JsonNode.Parse("""{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}},"status":{"type":"object","properties":{"phase":{"type":"string"}}}}}""")!.AsObject(),
                        },
                        Subresources = new JsonObject { ["status"] = new JsonObject() },
                    },
                ],
            },
        };
        await Client.Resource<CustomResourceDefinition>().CreateAsync(crd, cancellationToken: Ct);
        await EstablishedAsync(crd.Metadata.Name!);
        var widgets = Client.Dynamic(new ResourceType(group, "v1", "Widget", "widgets", Namespaced: true), await fixture.NamespaceAsync());

        var created = await widgets.CreateAsync(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "w" }, ["spec"] = new JsonObject { ["size"] = 3 } }, cancellationToken: Ct);
        var status = await widgets.PatchStatusAsync("w", Patch.Merge(new JsonObject { ["status"] = new JsonObject { ["phase"] = "Ready" }, ["spec"] = new JsonObject { ["size"] = 99 } }), cancellationToken: Ct);
        var items = await widgets.ListAllAsync(cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("Widget", (string?)created["kind"]);
        Assert.Equal("Ready", (string?)status["status"]!["phase"]);
        Assert.Equal(3, (int?)status["spec"]!["size"]); // the status subresource leaves spec alone
        Assert.Equal("w", (string?)Assert.Single(items)["metadata"]!["name"]);
    }

    [Fact]
    public async Task LeaseAndEvent_RoundTripThroughTheServer_WithMicrosecondTimes()
    {
        var ns = await fixture.NamespaceAsync();
        var renew = new DateTimeOffset(2026, 11, 24, 13, 21, 7, TimeSpan.Zero).AddTicks(1_234_560);
        var lease = await Client.Resource<Lease>(ns).CreateAsync(new Lease
        {
            Metadata = new ObjectMeta { Name = "leader" },
            Spec = new LeaseSpec { HolderIdentity = "replica-a", LeaseDurationSeconds = 15, AcquireTime = renew, RenewTime = renew, LeaseTransitions = 0 },
        }, cancellationToken: Ct);
        var map = await Client.Resource<ConfigMap>(ns).CreateAsync(Settings("subject"), cancellationToken: Ct);

        var recorded = await Client.Resource<Event>(ns).CreateAsync(new Event
        {
            Metadata = new ObjectMeta { GenerateName = "subject." },
            InvolvedObject = ObjectReferences.For(map),
            Reason = "Reconciled",
            Message = "settings applied",
            Type = "Normal",
            Count = 1,
            FirstTimestamp = renew,
            LastTimestamp = renew,
            Source = new EventSource { Component = "tunneloperator" },
            ReportingComponent = "tunneloperator.io/operator",
            ReportingInstance = "replica-a",
        }, cancellationToken: Ct);

        Assert.Equal(renew, (await Client.Resource<Lease>(ns).GetAsync("leader", Ct)).Spec!.RenewTime);
        Assert.Equal(lease.Spec!.AcquireTime, renew);
        Assert.StartsWith("subject.", recorded.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal((map.Metadata.Uid, "ConfigMap", "v1"), (recorded.InvolvedObject.Uid, recorded.InvolvedObject.Kind, recorded.InvolvedObject.ApiVersion));
    }

    /// <summary>Waits for the Established condition by watching, never by sleeping.</summary>
    private async Task EstablishedAsync(string name)
    {
        var crds = Client.Resource<CustomResourceDefinition>();
        static bool Established(CustomResourceDefinition? c) => c?.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true;
        var current = await crds.GetAsync(name, Ct);
        if (Established(current))
        {
            return;
        }

        await foreach (var e in crds.WatchAsync(new WatchOptions { ResourceVersion = current.Metadata.ResourceVersion, TimeoutSeconds = 30 }, Ct))
        {
            if (e.Object?.Metadata.Name == name && Established(e.Object))
            {
                return;
            }
        }

        Assert.Fail($"{name} never became Established");
    }
}
