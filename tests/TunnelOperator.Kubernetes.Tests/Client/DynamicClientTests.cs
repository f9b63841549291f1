using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Client;

/// <summary>The dynamic client on a custom resource the code does not know at compile time.</summary>
public sealed class DynamicClientTests : IAsyncLifetime
{
    private static readonly ResourceType Tunnels = new("tunneloperator.io", "v1alpha1", "Tunnel", "tunnels", Namespaced: true);
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

    private static JsonObject Tunnel(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["edgeRef"] = new JsonObject { ["name"] = "edge" } },
    };

    [Fact]
    public async Task Create_FillsTypeFields_WithoutChangingTheCallersObject()
    {
        var tunnel = Tunnel("web");

        var created = await _client.Dynamic(Tunnels, "apps").CreateAsync(tunnel, cancellationToken: Ct);

        Assert.Null(tunnel["kind"]);
        Assert.Equal("tunneloperator.io/v1alpha1", (string?)created["apiVersion"]);
        Assert.Equal("Tunnel", (string?)created["kind"]);
        Assert.Equal("/apis/tunneloperator.io/v1alpha1/namespaces/apps/tunnels", _server.Single("POST").Path);
    }

    [Fact]
    public async Task Verbs_WorkOnJson_IncludingStatusAndApply()
    {
        var tunnels = _client.Dynamic(Tunnels, "apps");
        await tunnels.CreateAsync(Tunnel("web"), cancellationToken: Ct);

        var applied = await tunnels.ApplyAsync(Tunnel("web"), new ApplyOptions { FieldManager = "tests" }, Ct);
        var status = await tunnels.PatchStatusAsync("web", Patch.Merge(new JsonObject { ["status"] = new JsonObject { ["publicURL"] = "https://web.example.net" } }), cancellationToken: Ct);
        var read = await tunnels.GetAsync("web", Ct);
        var deleted = await tunnels.DeleteAsync("web", cancellationToken: Ct);
        var absent = await tunnels.TryGetAsync("web", Ct);

        Assert.Equal("tests", (string?)applied["metadata"]!["managedFields"]![0]!["manager"]);
        Assert.Equal("https://web.example.net", (string?)status["status"]!["publicURL"]);
        Assert.Equal("edge", (string?)read["spec"]!["edgeRef"]!["name"]);
        Assert.Equal(DeleteOutcome.Deleted, deleted.Outcome);
        Assert.Null(absent);
        Assert.Equal("/apis/tunneloperator.io/v1alpha1/namespaces/apps/tunnels/web/status", _server.RequestList.Single(r => r.Method == "PATCH" && r.ContentType == "application/merge-patch+json").Path);
    }

    [Fact]
    public async Task ListAll_StampsEachItemWithItsType_AcrossPages()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Seed("/apis/tunneloperator.io/v1alpha1/namespaces/apps/tunnels", Tunnel($"t{i}"));
        }

        var items = await _client.Dynamic(Tunnels).ListAllAsync(new ListOptions { Limit = 2 }, Ct).ToListAsync(Ct);
        var page = await _client.Dynamic(Tunnels, "apps").ListAsync(new ListOptions { Limit = 2 }, Ct);

        Assert.Equal(["t0", "t1", "t2"], items.Select(i => (string?)i["metadata"]!["name"]));
        Assert.All(items, i => Assert.Equal(("Tunnel", "tunneloperator.io/v1alpha1"), ((string?)i["kind"], (string?)i["apiVersion"])));
        Assert.Equal(2, page["items"]!.AsArray().Count);
        Assert.NotNull(page["metadata"]!["continue"]);
    }

    [Fact]
    public async Task Watch_YieldsJsonObjects()
    {
        var script = _server.ExpectWatch();
        await script.SendAsync("ADDED", new JsonObject { ["apiVersion"] = "tunneloperator.io/v1alpha1", ["kind"] = "Tunnel", ["metadata"] = new JsonObject { ["name"] = "web", ["resourceVersion"] = "7" } });
        // A custom resource's bookmark has no spec: it must not be decoded as an object.
        await script.SendAsync("BOOKMARK", new JsonObject { ["apiVersion"] = "tunneloperator.io/v1alpha1", ["kind"] = "Tunnel", ["metadata"] = new JsonObject { ["resourceVersion"] = "9" } });
        script.End();

        var events = await _client.Dynamic(Tunnels, "apps").WatchAsync(cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("web", (string?)events[0].Object!["metadata"]!["name"]);
        Assert.Equal(("7", "9"), (events[0].ResourceVersion, events[1].ResourceVersion));
        Assert.Equal("/apis/tunneloperator.io/v1alpha1/namespaces/apps/tunnels", (await script.Opened.Task).Path);
    }
}
