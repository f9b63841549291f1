namespace TunnelOperator.ControlPlane.Tests.Server;

public sealed class WatchTests(ControlPlaneHarness harness) : IClassFixture<ControlPlaneHarness>
{
    private ApiClient Api => harness.Api;

    private async Task<string> NamespaceAsync(string name)
    {
        Assert.Equal(201, (await Api.PostAsync("/api/v1/namespaces", Objects.Namespace(name))).Code);
        return $"/api/v1/namespaces/{name}/configmaps";
    }

    [Fact]
    public async Task Watch_FromZero_SendsCurrentStateThenChanges()
    {
        var path = await NamespaceAsync("watch-zero");
        await Api.PostAsync(path, Objects.ConfigMap("existing"));
        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion=0");
        var first = await watch.NextAsync();
        Assert.Equal("ADDED", first!.Value.Type);
        Assert.Equal("existing", first.Value.Object["metadata"]!["name"]!.GetValue<string>());

        await Api.PatchAsync($"{path}/existing", """{"data":{"k":"v"}}""");
        var modified = await watch.NextAsync();
        Assert.Equal("MODIFIED", modified!.Value.Type);
        await Api.DeleteAsync($"{path}/existing");
        Assert.Equal("DELETED", (await watch.NextAsync())!.Value.Type);
    }

    [Fact]
    public async Task Watch_FromResourceVersion_SendsOnlyLaterChanges()
    {
        var path = await NamespaceAsync("watch-rv");
        await Api.PostAsync(path, Objects.ConfigMap("before"));
        var list = await Api.GetAsync(path);
        await Api.PostAsync(path, Objects.ConfigMap("after"));
        using var watch = await Api.WatchAsync($"{path}?watch=1&resourceVersion={list.ResourceVersion}");
        var e = await watch.NextAsync();
        Assert.Equal(("ADDED", "after"), (e!.Value.Type, e.Value.Object["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Watch_DeprecatedWatchPath_Works()
    {
        var path = await NamespaceAsync("watch-legacy");
        using var watch = await Api.WatchAsync("/api/v1/watch/namespaces/watch-legacy/configmaps");
        await Api.PostAsync(path, Objects.ConfigMap("x"));
        Assert.Equal("ADDED", (await watch.NextAsync())!.Value.Type);
    }

    [Fact]
    public async Task Watch_Bookmarks_CarryOnlyTheResourceVersion()
    {
        var path = await NamespaceAsync("watch-bookmark");
        var list = await Api.GetAsync(path);
        using var watch = await Api.WatchAsync($"{path}?watch=true&allowWatchBookmarks=true&resourceVersion={list.ResourceVersion}");
        var bookmark = await watch.NextMatchingAsync((type, _) => type == "BOOKMARK");
        Assert.Equal(["resourceVersion"], bookmark.Object["metadata"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal("ConfigMap", bookmark.Object["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        var path = await NamespaceAsync("watch-timeout");
        var list = await Api.GetAsync(path);
        using var watch = await Api.WatchAsync($"{path}?watch=true&timeoutSeconds=1&resourceVersion={list.ResourceVersion}");
        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        var path = await NamespaceAsync("watch-initial");
        await Api.PostAsync(path, Objects.ConfigMap("one"));
        using var watch = await Api.WatchAsync($"{path}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        Assert.Equal("ADDED", (await watch.NextAsync())!.Value.Type);
        var end = await watch.NextAsync();
        Assert.Equal("BOOKMARK", end!.Value.Type);
        Assert.Equal("true", end.Value.Object["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_LabelSelector_TurnsLeavingIntoDeleted()
    {
        var path = await NamespaceAsync("watch-labels");
        using var watch = await Api.WatchAsync($"{path}?watch=true&labelSelector=app%3Dweb");
        await Api.PostAsync(path, Objects.ConfigMap("w", labels: """{"app":"web"}"""));
        Assert.Equal("ADDED", (await watch.NextAsync())!.Value.Type);
        await Api.PatchAsync($"{path}/w", """{"metadata":{"labels":{"app":"db"}}}""");
        Assert.Equal("DELETED", (await watch.NextAsync())!.Value.Type);
    }

    [Fact]
    public async Task Watch_WithTableAccept_SendsOneRowTables()
    {
        var path = await NamespaceAsync("watch-table");
        using var watch = await Api.WatchAsync($"{path}?watch=true", "application/json;as=Table;v=v1;g=meta.k8s.io");
        await Api.PostAsync(path, Objects.ConfigMap("t"));
        var e = await watch.NextAsync();
        Assert.Equal("Table", e!.Value.Object["kind"]!.GetValue<string>());
        Assert.Single(e.Value.Object["rows"]!.AsArray());
    }

    [Fact]
    public async Task UpdateWithoutChange_ProducesNoWatchEvent()
    {
        var path = await NamespaceAsync("watch-noop");
        var created = await Api.PostAsync(path, Objects.ConfigMap("n", data: """{"a":"1"}"""));
        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion={created.ResourceVersion}");
        await Api.PutAsync($"{path}/n", created.Object);
        await Api.PatchAsync($"{path}/n", """{"data":{"a":"2"}}""");
        var e = await watch.NextAsync();
        Assert.Equal("2", e!.Value.Object["data"]!["a"]!.GetValue<string>());
    }
}

public sealed class WatchExpiryTests : IAsyncLifetime
{
    private readonly ControlPlaneHarness _harness = new(o => o with { WatchCacheCapacity = 5 });

    public ValueTask InitializeAsync() => _harness.InitializeAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Watch_FromCompactedResourceVersion_GetsErrorEventWith410Expired()
    {
        var api = _harness.Api;
        var start = await api.GetAsync("/api/v1/namespaces/default/configmaps");
        for (var i = 0; i < 8; i++)
        {
            await api.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap($"churn-{i}"));
        }

        using var watch = await api.WatchAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start.ResourceVersion}");
        Assert.Equal(System.Net.HttpStatusCode.OK, watch.Status);
        var e = await watch.NextAsync();
        Assert.Equal("ERROR", e!.Value.Type);
        Assert.Equal(410, e.Value.Object["code"]!.GetValue<long>());
        Assert.Equal("Expired", e.Value.Object["reason"]!.GetValue<string>());
        Assert.StartsWith("too old resource version: ", e.Value.Object["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
