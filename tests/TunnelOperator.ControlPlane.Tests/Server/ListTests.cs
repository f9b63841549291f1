namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>Label and field selectors, pagination, lists across namespaces.</summary>
public sealed class ListTests(ControlPlaneHarness harness) : IClassFixture<ControlPlaneHarness>, IAsyncLifetime
{
    private ApiClient Api => harness.Api;

    private const string Path = "/api/v1/namespaces/list-a/configmaps";

    public async ValueTask InitializeAsync()
    {
        if ((await Api.GetAsync("/api/v1/namespaces/list-a")).Code == 200)
        {
            return;
        }

        await Api.PostAsync("/api/v1/namespaces", Objects.Namespace("list-a"));
        await Api.PostAsync("/api/v1/namespaces", Objects.Namespace("list-b"));
        await Api.PostAsync(Path, Objects.ConfigMap("web", labels: """{"app":"web","tier":"front"}"""));
        await Api.PostAsync(Path, Objects.ConfigMap("db", labels: """{"app":"db","tier":"back"}"""));
        await Api.PostAsync(Path, Objects.ConfigMap("cache", labels: """{"app":"cache"}"""));
        await Api.PostAsync("/api/v1/namespaces/list-b/configmaps", Objects.ConfigMap("other", labels: """{"app":"web"}"""));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<List<string>> NamesAsync(string url)
    {
        var response = await Api.GetAsync(url);
        Assert.Equal(200, response.Code);
        return [.. response.Object["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order()];
    }

    [Theory]
    [InlineData("app%3Dweb", "web")]
    [InlineData("app%3D%3Dweb", "web")]
    [InlineData("app!%3Dweb", "cache,db")]
    [InlineData("app%20in%20(web,db)", "db,web")]
    [InlineData("app%20notin%20(web,db)", "cache")]
    [InlineData("tier", "db,web")]
    [InlineData("!tier", "cache")]
    [InlineData("app%3Dweb,tier%3Dfront", "web")]
    public async Task LabelSelector_SelectsAsUpstream(string selector, string expected)
    {
        Assert.Equal(expected.Split(','), await NamesAsync($"{Path}?labelSelector={selector}"));
    }

    [Fact]
    public async Task LabelSelector_Malformed_Returns400()
    {
        var response = await Api.GetAsync($"{Path}?labelSelector=app%20in%20web");
        Assert.Equal(400, response.Code);
    }

    [Fact]
    public async Task FieldSelector_ByNameAndUnsupportedField()
    {
        Assert.Equal(["db"], await NamesAsync($"{Path}?fieldSelector=metadata.name%3Ddb"));
        Assert.Equal(["cache", "web"], await NamesAsync($"{Path}?fieldSelector=metadata.name!%3Ddb"));
        var bad = await Api.GetAsync($"{Path}?fieldSelector=spec.foo%3Dx");
        Assert.Equal(400, bad.Code);
        Assert.Equal("field label not supported: spec.foo", bad.Message);
    }

    [Fact]
    public async Task FieldSelector_KindSpecificFields()
    {
        var secret = Objects.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"tls"},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}}""");
        await Api.PostAsync("/api/v1/namespaces/list-a/secrets", secret);
        Assert.Equal(["tls"], await NamesAsync("/api/v1/namespaces/list-a/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls"));
        var ev = Objects.Parse("""{"apiVersion":"v1","kind":"Event","metadata":{"name":"e1"},"involvedObject":{"kind":"ConfigMap","name":"web","namespace":"list-a"},"reason":"Tested","type":"Normal","message":"hi"}""");
        await Api.PostAsync("/api/v1/namespaces/list-a/events", ev);
        Assert.Equal(["e1"], await NamesAsync("/api/v1/namespaces/list-a/events?fieldSelector=involvedObject.name%3Dweb,reason%3DTested"));
    }

    [Fact]
    public async Task List_AcrossNamespaces()
    {
        var names = await NamesAsync("/api/v1/configmaps?labelSelector=app%3Dweb");
        Assert.Equal(["other", "web"], names);
    }

    [Fact]
    public async Task Pagination_LimitAndContinue_VisitsEveryItemOnce()
    {
        var first = await Api.GetAsync($"{Path}?limit=2");
        Assert.Equal(2, first.Object["items"]!.AsArray().Count);
        var token = first.Object["metadata"]!["continue"]!.GetValue<string>();
        Assert.Equal(1, first.Object["metadata"]!["remainingItemCount"]!.GetValue<long>());
        var second = await Api.GetAsync($"{Path}?limit=2&continue={Uri.EscapeDataString(token)}");
        Assert.Single(second.Object["items"]!.AsArray());
        Assert.Null(second.Object["metadata"]!["continue"]);
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
        var all = first.Object["items"]!.AsArray().Concat(second.Object["items"]!.AsArray()).Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order();
        Assert.Equal(["cache", "db", "web"], all);
    }

    [Fact]
    public async Task Continue_Garbage_Returns400()
    {
        Assert.Equal(400, (await Api.GetAsync($"{Path}?limit=1&continue=notatoken")).Code);
    }
}
