using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Server;

public sealed class ApiVerbsTests(ControlPlaneHarness harness) : IClassFixture<ControlPlaneHarness>
{
    private ApiClient Api => harness.Api;

    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Create_Get_ReturnsServerSetIdentity()
    {
        var created = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-create", data: """{"a":"1"}"""));
        Assert.Equal(201, created.Code);
        var meta = created.Object["metadata"]!;
        Assert.False(string.IsNullOrEmpty(meta["uid"]?.GetValue<string>()));
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", meta["creationTimestamp"]!.GetValue<string>());
        Assert.True(long.Parse(meta["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        var got = await Api.GetAsync($"{ConfigMaps}/verbs-create");
        Assert.Equal(200, got.Code);
        Assert.Equal("1", got.Object["data"]!["a"]!.GetValue<string>());
        Assert.Equal(meta["uid"]!.GetValue<string>(), got.Object["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Twice_Returns409AlreadyExists()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-dup"));
        var again = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-dup"));
        Assert.Equal(409, again.Code);
        Assert.Equal("AlreadyExists", again.Reason);
        Assert.Equal("configmaps \"verbs-dup\" already exists", again.Message);
        Assert.Equal("Status", again.Object["kind"]!.GetValue<string>());
        Assert.Equal("Failure", again.Object["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_Missing_Returns404WithUpstreamMessage()
    {
        var missing = await Api.GetAsync($"{ConfigMaps}/nope");
        Assert.Equal(404, missing.Code);
        Assert.Equal("configmaps \"nope\" not found", missing.Message);
        Assert.Equal("configmaps", missing.Object["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_GenerateName_AppendsFiveCharacters()
    {
        var body = Objects.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"gen-"}}""");
        var created = await Api.PostAsync(ConfigMaps, body);
        Assert.Equal(201, created.Code);
        Assert.Matches("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Object["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_DryRun_StoresNothing()
    {
        var created = await Api.PostAsync($"{ConfigMaps}?dryRun=All", Objects.ConfigMap("verbs-dry"));
        Assert.Equal(201, created.Code);
        Assert.Equal(404, (await Api.GetAsync($"{ConfigMaps}/verbs-dry")).Code);
    }

    [Fact]
    public async Task Update_StaleResourceVersion_Returns409ConflictWithUpstreamMessage()
    {
        var created = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-conflict", data: """{"a":"1"}"""));
        var first = created.Object.DeepClone().AsObject();
        first["data"]!["a"] = "2";
        Assert.Equal(200, (await Api.PutAsync($"{ConfigMaps}/verbs-conflict", first)).Code);

        var stale = created.Object.DeepClone().AsObject();
        stale["data"]!["a"] = "3";
        var conflict = await Api.PutAsync($"{ConfigMaps}/verbs-conflict", stale);
        Assert.Equal(409, conflict.Code);
        Assert.Equal("Conflict", conflict.Reason);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"verbs-conflict\": the object has been modified; please apply your changes to the latest version and try again", conflict.Message);
    }

    [Fact]
    public async Task Update_WithoutChanges_KeepsResourceVersion()
    {
        var created = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-noop", data: """{"a":"1"}"""));
        var same = await Api.PutAsync($"{ConfigMaps}/verbs-noop", created.Object);
        Assert.Equal(200, same.Code);
        Assert.Equal(created.ResourceVersion, same.ResourceVersion);
    }

    [Fact]
    public async Task Patch_MergeJsonAndStrategic_ChangeTheObject()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-patch", data: """{"a":"1","b":"2"}"""));
        var merged = await Api.PatchAsync($"{ConfigMaps}/verbs-patch", """{"data":{"a":null,"c":"3"}}""");
        Assert.Equal(200, merged.Code);
        Assert.Null(merged.Object["data"]!["a"]);
        Assert.Equal("3", merged.Object["data"]!["c"]!.GetValue<string>());

        var json = await Api.PatchAsync($"{ConfigMaps}/verbs-patch", """[{"op":"replace","path":"/data/b","value":"20"}]""", "application/json-patch+json");
        Assert.Equal("20", json.Object["data"]!["b"]!.GetValue<string>());

        var strategic = await Api.PatchAsync($"{ConfigMaps}/verbs-patch", """{"metadata":{"labels":{"x":"y"}}}""", "application/strategic-merge-patch+json");
        Assert.Equal("y", strategic.Object["metadata"]!["labels"]!["x"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_UnknownMediaType_Returns415()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-415"));
        var response = await Api.PatchAsync($"{ConfigMaps}/verbs-415", "{}", "text/plain");
        Assert.Equal(415, response.Code);
        Assert.Equal("UnsupportedMediaType", response.Reason);
    }

    [Fact]
    public async Task Delete_Immediate_ReturnsSuccessStatus()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-del"));
        var deleted = await Api.DeleteAsync($"{ConfigMaps}/verbs-del");
        Assert.Equal(200, deleted.Code);
        Assert.Equal("Success", deleted.Object["status"]!.GetValue<string>());
        Assert.Equal("verbs-del", deleted.Object["details"]!["name"]!.GetValue<string>());
        Assert.Equal(404, (await Api.DeleteAsync($"{ConfigMaps}/verbs-del")).Code);
    }

    [Fact]
    public async Task Delete_UidPreconditionMismatch_Returns409()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-precondition"));
        var response = await Api.DeleteAsync($"{ConfigMaps}/verbs-precondition", Objects.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"not-it"}}"""));
        Assert.Equal(409, response.Code);
        Assert.Contains("Precondition failed: UID in precondition: not-it", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_DeletesOnlyMatches()
    {
        await Api.PostAsync("/api/v1/namespaces", Objects.Namespace("verbs-dc"));
        await Api.PostAsync("/api/v1/namespaces/verbs-dc/configmaps", Objects.ConfigMap("a", labels: """{"app":"x"}"""));
        await Api.PostAsync("/api/v1/namespaces/verbs-dc/configmaps", Objects.ConfigMap("b", labels: """{"app":"y"}"""));
        var response = await Api.DeleteAsync("/api/v1/namespaces/verbs-dc/configmaps?labelSelector=app%3Dx");
        Assert.Equal(200, response.Code);
        var left = await Api.GetAsync("/api/v1/namespaces/verbs-dc/configmaps");
        Assert.Equal(["b"], left.Object["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404ForTheNamespace()
    {
        var response = await Api.PostAsync("/api/v1/namespaces/absent/configmaps", Objects.ConfigMap("x"));
        Assert.Equal(404, response.Code);
        Assert.Equal("namespaces \"absent\" not found", response.Message);
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400SayingWhatIsWrong()
    {
        var response = await Api.PostAsync(ConfigMaps, "{\"apiVersion\": ", "application/json");
        Assert.Equal(400, response.Code);
        Assert.Equal("BadRequest", response.Reason);
        Assert.Contains("json parse error", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidName_Returns422WithCause()
    {
        var response = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("Not_Valid"));
        Assert.Equal(422, response.Code);
        var cause = response.Object["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("metadata.name", cause["field"]!.GetValue<string>());
        Assert.StartsWith("ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\"", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_StringData_IsMergedIntoBase64Data()
    {
        var secret = Objects.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"verbs-secret"},"data":{"a":"YQ=="},"stringData":{"b":"bee"}}""");
        var created = await Api.PostAsync("/api/v1/namespaces/default/secrets", secret);
        Assert.Equal(201, created.Code);
        Assert.Equal("YmVl", created.Object["data"]!["b"]!.GetValue<string>());
        Assert.Null(created.Object["stringData"]);
        Assert.Equal("Opaque", created.Object["type"]!.GetValue<string>());

        var bad = Objects.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"verbs-secret-bad"},"data":{"a":"!!!!"}}""");
        var refused = await Api.PostAsync("/api/v1/namespaces/default/secrets", bad);
        Assert.Equal(400, refused.Code);
        Assert.Contains("illegal base64 data", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_GetsClusterIpFromServiceRange()
    {
        var svc = Objects.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"verbs-svc"},"spec":{"type":"NodePort","ports":[{"port":80}]}}""");
        var created = await Api.PostAsync("/api/v1/namespaces/default/services", svc);
        Assert.Equal(201, created.Code);
        var ip = created.Object["spec"]!["clusterIP"]!.GetValue<string>();
        Assert.StartsWith("10.9", ip, StringComparison.Ordinal);
        Assert.NotEqual("10.96.0.1", ip);
        var port = created.Object["spec"]!["ports"]![0]!;
        Assert.InRange(port["nodePort"]!.GetValue<long>(), 30000, 32767);
        Assert.Equal(80, port["targetPort"]!.GetValue<long>());
    }

    [Fact]
    public async Task Requests_OverHttp2_AreServed()
    {
        using var h2 = new ApiClient(harness.Plane.Url, harness.Plane.CaCertificate, harness.Plane.AdminCertificate, httpVersion: System.Net.HttpVersion.Version20);
        var response = await h2.GetAsync("/api/v1/namespaces/default");
        Assert.Equal(200, response.Code);
        Assert.Equal("Active", response.Object["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task SystemNamespaces_ExistAtFirstStart()
    {
        var list = await Api.GetAsync("/api/v1/namespaces");
        var names = list.Object["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("default", names);
        Assert.Contains("kube-system", names);
        Assert.Contains("kube-public", names);
        Assert.Contains("kube-node-lease", names);
    }

    [Fact]
    public async Task Scale_Subresource_ReadsAndWritesDeploymentReplicas()
    {
        var deployment = Objects.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"verbs-scale"},
             "spec":{"selector":{"matchLabels":{"app":"s"}},"template":{"metadata":{"labels":{"app":"s"}},"spec":{"containers":[{"name":"c","image":"busybox:1"}]}}}}
            """);
        var created = await Api.PostAsync("/apis/apps/v1/namespaces/default/deployments", deployment);
        Assert.Equal(201, created.Code);
        Assert.Equal(1, created.Object["spec"]!["replicas"]!.GetValue<long>());
        var scale = await Api.GetAsync("/apis/apps/v1/namespaces/default/deployments/verbs-scale/scale");
        Assert.Equal("Scale", scale.Object["kind"]!.GetValue<string>());
        Assert.Equal("app=s", scale.Object["status"]!["selector"]!.GetValue<string>());
        var patched = await Api.PatchAsync("/apis/apps/v1/namespaces/default/deployments/verbs-scale/scale", """{"spec":{"replicas":3}}""");
        Assert.Equal(200, patched.Code);
        var after = await Api.GetAsync("/apis/apps/v1/namespaces/default/deployments/verbs-scale");
        Assert.Equal(3, after.Object["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(2, after.Object["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task DeleteCollection_OnServices_Returns405()
    {
        var response = await Api.DeleteAsync("/api/v1/namespaces/default/services");
        Assert.Equal(405, response.Code);
        Assert.Equal("MethodNotAllowed", response.Reason);
    }

    [Fact]
    public async Task Pods_FieldSelectorsOnPhaseAndNode()
    {
        var pod = Objects.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"verbs-pod"},"spec":{"nodeName":"local","containers":[{"name":"c","image":"busybox"}]}}""");
        var created = await Api.PostAsync("/api/v1/namespaces/default/pods", pod);
        Assert.Equal(201, created.Code);
        Assert.Equal("Pending", created.Object["status"]!["phase"]!.GetValue<string>());
        var byPhase = await Api.GetAsync("/api/v1/pods?fieldSelector=status.phase%3DPending,spec.nodeName%3Dlocal");
        Assert.Contains(byPhase.Object["items"]!.AsArray(), i => i!["metadata"]!["name"]!.GetValue<string>() == "verbs-pod");
        await Api.PatchAsync("/api/v1/namespaces/default/pods/verbs-pod/status", """{"status":{"phase":"Running"}}""");
        var stillPending = await Api.GetAsync("/api/v1/pods?fieldSelector=status.phase%3DPending");
        Assert.DoesNotContain(stillPending.Object["items"]!.AsArray(), i => i!["metadata"]!["name"]!.GetValue<string>() == "verbs-pod");
    }

    [Fact]
    public async Task InProcessEventHook_SeesCommittedChanges()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(15));
        var events = harness.Plane.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync();
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("verbs-hook"));
        while (await next)
        {
            if (events.Current.Name == "verbs-hook")
            {
                Assert.Equal(("ADDED", "configmaps", "default"), (events.Current.Type, events.Current.Resource, events.Current.Namespace));
                break;
            }

            next = events.MoveNextAsync();
        }

        await events.DisposeAsync();
    }
}
