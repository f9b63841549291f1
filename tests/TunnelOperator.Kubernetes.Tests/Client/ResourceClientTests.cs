using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.ApiExtensions;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Client;

/// <summary>The typed verbs against the loopback API server stand-in, over HTTPS with a client certificate.</summary>
public sealed class ResourceClientTests : IAsyncLifetime
{
    private const string ConfigMaps = "/api/v1/namespaces/tunnels/configmaps";
    private readonly TempDirectory _directory = new();
    private FakeApiServer _server = null!;
    private KubernetesClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _client = TestClients.Create(_server, _directory);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    private static ConfigMap Settings(string name = "settings", string? ns = "tunnels", string value = "1") =>
        new() { Metadata = new ObjectMeta { Name = name, Namespace = ns }, Data = new Dictionary<string, string> { ["key"] = value } };

    private JsonObject Seed(string name, params string[] finalizers) =>
        _server.Seed(ConfigMaps, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["finalizers"] = finalizers.Length == 0 ? null : new JsonArray([.. finalizers.Select(f => (JsonNode)f)]) },
            ["data"] = new JsonObject { ["key"] = "seeded" },
        });

    [Fact]
    public async Task Get_ReadsTheObject_OverHttp2WithTheClientCertificateAndUserAgent()
    {
        Seed("settings");

        var map = await _client.Resource<ConfigMap>("tunnels").GetAsync("settings", Ct);

        Assert.Equal("seeded", map.Data!["key"]);
        Assert.Equal("tunnels", map.Metadata.Namespace);
        var request = _server.Single("GET");
        Assert.Equal(ConfigMaps + "/settings", request.Path);
        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Equal("CN=admin-rsa, O=system:masters", request.ClientCertificateSubject);
        Assert.StartsWith("tunneld/", request.UserAgent, StringComparison.Ordinal);
        Assert.Equal("application/json", request.Accept);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task Get_Missing_ThrowsNotFoundWithTheStatus_TryGetReturnsNull()
    {
        var configMaps = _client.Resource<ConfigMap>("tunnels");

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.GetAsync("absent", Ct));
        var missing = await configMaps.TryGetAsync("absent", Ct);

        Assert.True(error.IsNotFound);
        Assert.Equal(404, error.Code);
        Assert.Equal(StatusReasons.NotFound, error.Reason);
        Assert.Equal("absent", error.Status.Details!.Name);
        Assert.Contains("get configmaps.core/v1 tunnels/absent", error.Message, StringComparison.Ordinal);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Create_PostsJsonWithTypeFields_ToTheObjectsNamespace()
    {
        var created = await _client.Resource<ConfigMap>().CreateAsync(Settings(), cancellationToken: Ct);

        Assert.NotNull(created.Metadata.Uid);
        Assert.NotNull(created.Metadata.ResourceVersion);
        var request = _server.Single("POST");
        Assert.Equal(ConfigMaps, request.Path);
        Assert.Equal("application/json", request.ContentType);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("v1", (string?)body["apiVersion"]);
        Assert.Equal("ConfigMap", (string?)body["kind"]);
        Assert.Null(body["binaryData"]); // nulls are not sent
    }

    [Fact]
    public async Task Create_Twice_IsAlreadyExists_AndABadName_IsInvalidWithTheField()
    {
        var configMaps = _client.Resource<ConfigMap>("tunnels");
        await configMaps.CreateAsync(Settings(), cancellationToken: Ct);

        var exists = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.CreateAsync(Settings(), cancellationToken: Ct));
        var invalid = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.CreateAsync(Settings("Bad_Name"), cancellationToken: Ct));

        Assert.True(exists.IsAlreadyExists);
        Assert.Equal(409, exists.Code);
        Assert.False(exists.IsConflict);
        Assert.True(invalid.IsInvalid);
        Assert.Equal("metadata.name", Assert.Single(invalid.Status.Details!.Causes!).Field);
    }

    [Fact]
    public async Task Create_DryRun_SendsDryRunAllAndStoresNothing()
    {
        await _client.Resource<ConfigMap>("tunnels").CreateAsync(Settings(), new WriteOptions { DryRun = true, FieldManager = "tests", FieldValidation = "Strict" }, Ct);

        var request = _server.Single("POST");
        Assert.Equal(("All", "tests", "Strict"), (request["dryRun"], request["fieldManager"], request["fieldValidation"]));
        Assert.Null(_server.Stored(ConfigMaps, "settings"));
    }

    [Fact]
    public async Task Replace_WithAStaleResourceVersion_IsConflict_WithTheCurrentOne_Succeeds()
    {
        var configMaps = _client.Resource<ConfigMap>("tunnels");
        var created = await configMaps.CreateAsync(Settings(), cancellationToken: Ct);
        var updated = await configMaps.ReplaceAsync(created with { Data = new Dictionary<string, string> { ["key"] = "2" } }, cancellationToken: Ct);

        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.ReplaceAsync(created, cancellationToken: Ct));

        Assert.Equal("2", updated.Data!["key"]);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.True(conflict.IsConflict);
        Assert.Contains("the object has been modified", conflict.Message, StringComparison.Ordinal);
        Assert.All(_server.Requests.Where(r => r.Method == "PUT"), r => Assert.Equal(ConfigMaps + "/settings", r.Path));
    }

    [Theory]
    [InlineData(PatchType.Merge, "application/merge-patch+json")]
    [InlineData(PatchType.StrategicMerge, "application/strategic-merge-patch+json")]
    [InlineData(PatchType.Json, "application/json-patch+json")]
    public async Task Patch_SendsTheContentTypeOfItsFormat(PatchType type, string contentType)
    {
        Seed("settings");
        var patch = type switch
        {
            PatchType.Merge => Patch.Merge(new JsonObject { ["data"] = new JsonObject { ["key"] = "patched" } }),
            PatchType.StrategicMerge => Patch.StrategicMerge(new JsonObject { ["data"] = new JsonObject { ["key"] = "patched" } }),
            _ => Patch.Json(new JsonArray(
                new JsonObject { ["op"] = "test", ["path"] = "/data/key", ["value"] = "seeded" },
                new JsonObject { ["op"] = "replace", ["path"] = "/data/key", ["value"] = "patched" })),
        };

        var patched = await _client.Resource<ConfigMap>("tunnels").PatchAsync("settings", patch, cancellationToken: Ct);

        Assert.Equal("patched", patched.Data!["key"]);
        Assert.Equal(contentType, _server.Single("PATCH").ContentType);
    }

    [Fact]
    public async Task Patch_TypedMergePatch_SendsOnlyTheFieldsSet()
    {
        Seed("settings");

        await _client.Resource<ConfigMap>("tunnels").PatchAsync("settings", Patch.Merge(new ConfigMap { Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["tier"] = "edge" } } }), cancellationToken: Ct);

        var body = JsonNode.Parse(_server.Single("PATCH").Body)!.AsObject();
        Assert.Equal(["apiVersion", "kind", "metadata"], body.Select(p => p.Key));
        Assert.Equal("edge", (string?)_server.Stored(ConfigMaps, "settings")!["metadata"]!["labels"]!["tier"]);
    }

    [Fact]
    public async Task Apply_SendsApplyPatchYamlWithFieldManager_CreatesWhenMissing()
    {
        var applied = await _client.Resource<ConfigMap>("tunnels").ApplyAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["key"] = "applied" } }, new ApplyOptions { FieldManager = "tunneloperator" }, Ct);

        Assert.Equal("applied", applied.Data!["key"]);
        Assert.Equal("tunneloperator", applied.Metadata.ManagedFields![0].Manager);
        var request = _server.Single("PATCH");
        Assert.Equal("application/apply-patch+yaml", request.ContentType);
        Assert.Equal(ConfigMaps + "/settings", request.Path);
        Assert.Equal("tunneloperator", request["fieldManager"]);
        Assert.Null(request["force"]);
        Assert.Equal("ConfigMap", (string?)JsonNode.Parse(request.Body)!["kind"]);
    }

    [Fact]
    public async Task Apply_ByAnotherManager_ConflictsUnlessForced()
    {
        var configMaps = _client.Resource<ConfigMap>("tunnels");
        await configMaps.ApplyAsync(Settings(), new ApplyOptions { FieldManager = "kubectl-edit" }, Ct);

        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => configMaps.ApplyAsync(Settings(value: "2"), new ApplyOptions { FieldManager = "tunneloperator" }, Ct));
        var forced = await configMaps.ApplyAsync(Settings(value: "2"), new ApplyOptions { FieldManager = "tunneloperator", Force = true }, Ct);

        Assert.True(conflict.IsConflict);
        Assert.Equal("FieldManagerConflict", Assert.Single(conflict.Status.Details!.Causes!).Reason);
        Assert.Equal("2", forced.Data!["key"]);
        Assert.Equal("true", _server.Requests.Last()["force"]);
    }

    [Fact]
    public async Task Apply_WithoutAFieldManager_IsRefusedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.Resource<ConfigMap>("tunnels").ApplyAsync(Settings(), new ApplyOptions { FieldManager = "" }, Ct));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task StatusSubresource_VerbsGoToStatusPath_AndChangeOnlyStatus()
    {
        var namespaces = _client.Resource<Namespace>();
        var created = await namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "edge" } }, cancellationToken: Ct);

        var replaced = await namespaces.ReplaceStatusAsync(created with { Status = new NamespaceStatus { Phase = "Active" }, Spec = new NamespaceSpec { Finalizers = ["ignored"] } }, cancellationToken: Ct);
        var patched = await namespaces.PatchStatusAsync("edge", Patch.Merge(new JsonObject { ["status"] = new JsonObject { ["phase"] = "Terminating" } }), cancellationToken: Ct);
        var applied = await namespaces.ApplyStatusAsync(new Namespace { Metadata = new ObjectMeta { Name = "edge" }, Status = new NamespaceStatus { Phase = "Active" } }, new ApplyOptions { FieldManager = "tests", Force = true }, Ct);

        Assert.Equal("Active", replaced.Status!.Phase);
        Assert.Null(replaced.Spec);
        Assert.Equal("Terminating", patched.Status!.Phase);
        Assert.Equal("Active", applied.Status!.Phase);
        Assert.Equal(["/api/v1/namespaces/edge/status"], _server.Requests.Where(r => r.Method is "PUT").Select(r => r.Path));
        Assert.All(_server.Requests.Where(r => r.Method is "PATCH"), r => Assert.Equal("/api/v1/namespaces/edge/status", r.Path));
        Assert.Equal("/api/v1/namespaces", _server.Single("POST").Path);
    }

    [Fact]
    public async Task Delete_ReportsDeletedPendingOrAlreadyGone()
    {
        Seed("plain");
        Seed("held", "tunneloperator.io/cleanup");
        var configMaps = _client.Resource<ConfigMap>("tunnels");

        var deleted = await configMaps.DeleteAsync("plain", cancellationToken: Ct);
        var pending = await configMaps.DeleteAsync("held", cancellationToken: Ct);
        var gone = await configMaps.DeleteAsync("plain", cancellationToken: Ct);

        Assert.Equal(DeleteOutcome.Deleted, deleted.Outcome);
        Assert.Null(deleted.Object);
        Assert.Equal(DeleteOutcome.Pending, pending.Outcome);
        Assert.NotNull(pending.Object!.Metadata.DeletionTimestamp);
        Assert.Equal(["tunneloperator.io/cleanup"], pending.Object.Metadata.Finalizers);
        Assert.True(gone.WasAlreadyGone);
    }

    [Fact]
    public async Task Delete_SendsOptionsInTheBody_AndAFailedPreconditionIsConflict()
    {
        Seed("settings");

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.Resource<ConfigMap>("tunnels").DeleteAsync("settings", new DeleteOptions
        {
            PropagationPolicy = PropagationPolicy.Foreground,
            GracePeriodSeconds = 0,
            Preconditions = new Preconditions { Uid = "not-the-uid" },
            DryRun = DeleteOptions.DryRunAll,
        }, Ct));

        Assert.True(error.IsConflict);
        var body = JsonNode.Parse(_server.Single("DELETE").Body)!;
        Assert.Equal("Foreground", (string?)body["propagationPolicy"]);
        Assert.Equal(0, (long?)body["gracePeriodSeconds"]);
        Assert.Equal("not-the-uid", (string?)body["preconditions"]!["uid"]);
        Assert.Equal("All", (string?)body["dryRun"]![0]);
        Assert.Equal("DeleteOptions", (string?)body["kind"]);
        Assert.NotNull(_server.Stored(ConfigMaps, "settings"));
    }

    [Fact]
    public async Task List_PassesSelectorsAndPaging_AndListAllFollowsContinueTokens()
    {
        for (var i = 0; i < 5; i++)
        {
            _server.Seed(ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"m{i}", ["labels"] = new JsonObject { ["app"] = i % 2 == 0 ? "edge" : "hub" } } });
        }

        var configMaps = _client.Resource<ConfigMap>("tunnels");
        var firstPage = await configMaps.ListAsync(new ListOptions { LabelSelector = "app=edge", FieldSelector = "metadata.name!=x", Limit = 2, ResourceVersion = "0" }, Ct);
        var all = await configMaps.ListAllAsync(new ListOptions { Limit = 2 }, Ct).ToListAsync(Ct);

        Assert.Equal(["m0", "m2"], firstPage.Items.Select(m => m.Metadata.Name));
        Assert.NotNull(firstPage.Metadata.Continue);
        Assert.NotNull(firstPage.Metadata.ResourceVersion);
        var listRequest = _server.Requests.First();
        Assert.Equal(("app=edge", "metadata.name!=x", "2", "0"), (listRequest["labelSelector"], listRequest["fieldSelector"], listRequest["limit"], listRequest["resourceVersion"]));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], all.Select(m => m.Metadata.Name));
        Assert.All(all, m => Assert.Equal("ConfigMap", m.Kind)); // list items carry no kind; the model supplies it
        var pages = _server.Requests.Skip(1).ToList();
        Assert.Equal(3, pages.Count);
        Assert.Null(pages[0]["continue"]);
        Assert.NotNull(pages[1]["continue"]);
    }

    [Fact]
    public async Task ListAll_DefaultsToPagesOf500_AndAllNamespacesWithoutANamespace()
    {
        _server.Seed("/api/v1/namespaces/a/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });
        _server.Seed("/api/v1/namespaces/b/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "y" } });

        var all = await _client.Resource<ConfigMap>().ListAllAsync(cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(["a/x", "b/y"], all.Select(m => $"{m.Metadata.Namespace}/{m.Metadata.Name}"));
        Assert.Equal(("/api/v1/configmaps", "500"), (_server.Single("GET").Path, _server.Single("GET")["limit"]));
    }

    [Fact]
    public async Task List_WithAnExpiredContinueToken_IsResourceVersionExpired()
    {
        var error = await Assert.ThrowsAsync<ResourceVersionExpiredException>(() => _client.Resource<ConfigMap>("tunnels").ListAsync(new ListOptions { Continue = "expired" }, Ct));

        Assert.True(error.IsGone);
        Assert.Equal(410, error.Code);
    }

    [Fact]
    public async Task ClusterScopedKinds_UseClusterPaths_InTheirGroup()
    {
        await _client.Resource<CustomResourceDefinition>().CreateAsync(new CustomResourceDefinition { Metadata = new ObjectMeta { Name = "tunnels.tunneloperator.io" } }, cancellationToken: Ct);
        await _client.Resource<CustomResourceDefinition>().GetAsync("tunnels.tunneloperator.io", Ct);

        Assert.Equal(["/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tunnels.tunneloperator.io"], _server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Scope_Mistakes_AreRefusedBeforeSending()
    {
        Assert.Throws<ArgumentException>(() => _client.Resource<Namespace>("tunnels"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _client.Resource<ConfigMap>().GetAsync("settings", Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _client.Resource<ConfigMap>().CreateAsync(Settings(ns: null), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.Resource<ConfigMap>("other").CreateAsync(Settings(ns: "tunnels"), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.Resource<ConfigMap>("tunnels").ReplaceAsync(Settings(name: null!), cancellationToken: Ct));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Cancellation_EndsAHangingCall_WithOperationCanceled()
    {
        var arrived = _server.HangOn(ConfigMaps + "/slow");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = _client.Resource<ConfigMap>("tunnels").GetAsync("slow", cancel.Token);
        await arrived.WaitAsync(Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task RequestTimeout_EndsAHangingCall_WithTimeoutException()
    {
        var clock = TestClients.Clock();
        using var client = TestClients.Create(_server, _directory, options: new KubernetesClientOptions { TimeProvider = clock, RequestTimeout = TimeSpan.FromSeconds(30) });
        var arrived = _server.HangOn(ConfigMaps + "/slow");

        var call = client.Resource<ConfigMap>("tunnels").GetAsync("slow", Ct);
        await arrived.WaitAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("get configmaps.core/v1 tunnels/slow", error.Message, StringComparison.Ordinal);
    }
}
