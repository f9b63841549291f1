using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>Finalizers, garbage collection by ownerReference (three policies, dangling owners) and namespace deletion.</summary>
public sealed class LifecycleTests(ControlPlaneHarness harness) : IClassFixture<ControlPlaneHarness>
{
    private ApiClient Api => harness.Api;

    private async Task<string> NamespaceAsync(string name)
    {
        Assert.Equal(201, (await Api.PostAsync("/api/v1/namespaces", Objects.Namespace(name))).Code);
        return $"/api/v1/namespaces/{name}/configmaps";
    }

    private static JsonObject WithFinalizer(JsonObject obj, string finalizer = "example.com/hold")
    {
        obj["metadata"]!["finalizers"] = new JsonArray(finalizer);
        return obj;
    }

    [Fact]
    public async Task Delete_WithFinalizer_MarksThenRemovalOfLastFinalizerCompletes()
    {
        var path = await NamespaceAsync("life-finalizer");
        await Api.PostAsync(path, WithFinalizer(Objects.ConfigMap("held")));
        var deleting = await Api.DeleteAsync($"{path}/held");
        Assert.Equal(200, deleting.Code);
        Assert.NotNull(deleting.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, deleting.Object["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());

        var addMore = await Api.PatchAsync($"{path}/held", """{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}""");
        Assert.Equal(422, addMore.Code);
        Assert.Contains("no new finalizers can be added if the object is being deleted", addMore.Message, StringComparison.Ordinal);

        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion={deleting.ResourceVersion}");
        var released = await Api.PatchAsync($"{path}/held", """{"metadata":{"finalizers":null}}""");
        Assert.Equal(200, released.Code);
        Assert.Equal("DELETED", (await watch.NextAsync())!.Value.Type);
        Assert.Equal(404, (await Api.GetAsync($"{path}/held")).Code);
    }

    [Fact]
    public async Task Background_DependentsGoAfterTheOwner()
    {
        var path = await NamespaceAsync("life-background");
        var owner = (await Api.PostAsync(path, Objects.ConfigMap("owner"))).Object;
        await Api.PostAsync(path, Objects.OwnedBy(Objects.ConfigMap("dependent"), owner));
        using var watch = await Api.WatchAsync($"{path}?watch=true&fieldSelector=metadata.name%3Ddependent");
        await Api.DeleteAsync($"{path}/owner", Objects.Parse("""{"propagationPolicy":"Background"}"""));
        await watch.NextMatchingAsync((type, _) => type == "DELETED");
    }

    [Fact]
    public async Task Foreground_OwnerWaitsForBlockingDependents()
    {
        var path = await NamespaceAsync("life-foreground");
        var owner = (await Api.PostAsync(path, Objects.ConfigMap("owner"))).Object;
        await Api.PostAsync(path, WithFinalizer(Objects.OwnedBy(Objects.ConfigMap("dependent"), owner, blockOwnerDeletion: true)));
        var deleting = await Api.DeleteAsync($"{path}/owner", Objects.Parse("""{"propagationPolicy":"Foreground"}"""));
        Assert.Contains("foregroundDeletion", deleting.Object["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));

        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion=0");
        await watch.NextMatchingAsync((type, o) => o["metadata"]!["name"]!.GetValue<string>() == "dependent" && o["metadata"]!["deletionTimestamp"] is not null);
        Assert.Equal(200, (await Api.GetAsync($"{path}/owner")).Code);

        await Api.PatchAsync($"{path}/dependent", """{"metadata":{"finalizers":null}}""");
        await watch.NextMatchingAsync((type, o) => type == "DELETED" && o["metadata"]!["name"]!.GetValue<string>() == "owner");
    }

    [Fact]
    public async Task Orphan_DependentsLoseTheirOwnerReferenceAndStay()
    {
        var path = await NamespaceAsync("life-orphan");
        var owner = (await Api.PostAsync(path, Objects.ConfigMap("owner"))).Object;
        await Api.PostAsync(path, Objects.OwnedBy(Objects.ConfigMap("dependent"), owner));
        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion=0");
        await Api.DeleteAsync($"{path}/owner?propagationPolicy=Orphan");
        await watch.NextMatchingAsync((type, o) => type == "DELETED" && o["metadata"]!["name"]!.GetValue<string>() == "owner");
        var dependent = await Api.GetAsync($"{path}/dependent");
        Assert.Equal(200, dependent.Code);
        Assert.Null(dependent.Object["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task DanglingOwnerReference_IsCollected()
    {
        var path = await NamespaceAsync("life-dangling");
        var ghost = Objects.ConfigMap("ghost");
        ghost["metadata"]!["uid"] = Guid.NewGuid().ToString();
        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion=0");
        await Api.PostAsync(path, Objects.OwnedBy(Objects.ConfigMap("orphaned"), ghost));
        await watch.NextMatchingAsync((type, o) => type == "DELETED" && o["metadata"]!["name"]!.GetValue<string>() == "orphaned");
    }

    [Fact]
    public async Task NamespaceDeletion_TerminatesEmptiesThenGoes()
    {
        var path = await NamespaceAsync("life-ns");
        await Api.PostAsync(path, Objects.ConfigMap("plain"));
        await Api.PostAsync(path, WithFinalizer(Objects.ConfigMap("held")));
        using var nsWatch = await Api.WatchAsync("/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Dlife-ns");
        var deleting = await Api.DeleteAsync("/api/v1/namespaces/life-ns");
        Assert.Equal("Terminating", deleting.Object["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(["kubernetes"], deleting.Object["spec"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));

        var refused = await Api.PostAsync(path, Objects.ConfigMap("late"));
        Assert.Equal(403, refused.Code);
        Assert.Equal("configmaps \"late\" is forbidden: unable to create new content in namespace life-ns because it is being terminated", refused.Message);

        using var cmWatch = await Api.WatchAsync($"{path}?watch=true&resourceVersion=0");
        await cmWatch.NextMatchingAsync((type, o) => o["metadata"]!["name"]!.GetValue<string>() == "held" && o["metadata"]!["deletionTimestamp"] is not null);
        await Api.PatchAsync($"{path}/held", """{"metadata":{"finalizers":null}}""");
        await nsWatch.NextMatchingAsync((type, _) => type == "DELETED");
        Assert.Equal(404, (await Api.GetAsync("/api/v1/namespaces/life-ns")).Code);
    }

    [Fact]
    public async Task NewNamespace_GetsDefaultServiceAccount()
    {
        await NamespaceAsync("life-sa");
        using var watch = await Api.WatchAsync("/api/v1/namespaces/life-sa/serviceaccounts?watch=true&resourceVersion=0");
        var e = await watch.NextAsync();
        Assert.Equal("default", e!.Value.Object["metadata"]!["name"]!.GetValue<string>());
    }
}
