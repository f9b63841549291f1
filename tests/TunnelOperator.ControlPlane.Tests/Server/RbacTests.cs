using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>
/// rbac.authorization.k8s.io/v1 as stored built-ins: discovery, CRUD and watch, v1 defaulting, upstream's
/// validation messages, the immutable roleRef, and the printers' columns. Nothing is authorized by them.
/// </summary>
public sealed class RbacTests(ControlPlaneHarness harness) : IClassFixture<ControlPlaneHarness>
{
    private const string Rbac = "/apis/rbac.authorization.k8s.io/v1";
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private ApiClient Api => harness.Api;

    private async Task<string> NamespaceAsync(string name)
    {
        Assert.Equal(201, (await Api.PostAsync("/api/v1/namespaces", Objects.Namespace(name))).Code);
        return name;
    }

    private static JsonObject Role(string kind, string name, string rules) => Objects.Parse(
        $$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"{{kind}}","metadata":{"name":"{{name}}"},"rules":{{rules}}}""");

    private static JsonObject Binding(string kind, string name, string roleRef, string subjects) => Objects.Parse(
        $$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"{{kind}}","metadata":{"name":"{{name}}"},"roleRef":{{roleRef}},"subjects":{{subjects}}}""");

    [Fact]
    public async Task Discovery_ListsTheFourKindsWithTheirScopes()
    {
        var list = await Api.GetAsync(Rbac);
        Assert.Equal(200, list.Code);
        var resources = list.Object["resources"]!.AsArray().OfType<JsonObject>()
            .ToDictionary(r => r["name"]!.GetValue<string>(), r => (r["kind"]!.GetValue<string>(), r["namespaced"]!.GetValue<bool>()));
        Assert.Equal(
            new Dictionary<string, (string, bool)>
            {
                ["clusterrolebindings"] = ("ClusterRoleBinding", false),
                ["clusterroles"] = ("ClusterRole", false),
                ["rolebindings"] = ("RoleBinding", true),
                ["roles"] = ("Role", true),
            },
            resources);
        var groups = (await Api.GetAsync("/apis")).Object["groups"]!.AsArray();
        Assert.Contains(groups, g => g!["name"]!.GetValue<string>() == "rbac.authorization.k8s.io" && g["preferredVersion"]!["version"]!.GetValue<string>() == "v1");
    }

    [Fact]
    public async Task ClusterRole_WithSystemStyleName_IsStoredAndServed()
    {
        var created = await Api.PostAsync($"{Rbac}/clusterroles", Role("ClusterRole", "system:tunnel-reader", """[{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}]"""));
        Assert.Equal(201, created.Code);

        var got = await Api.GetAsync($"{Rbac}/clusterroles/system:tunnel-reader");
        Assert.Equal(200, got.Code);
        Assert.Equal("""[{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}]""", got.Object["rules"]!.ToJsonString());
        Assert.Equal(200, (await Api.DeleteAsync($"{Rbac}/clusterroles/system:tunnel-reader")).Code);
        Assert.Equal(404, (await Api.GetAsync($"{Rbac}/clusterroles/system:tunnel-reader")).Code);
    }

    [Theory]
    [InlineData("rbac-no-verbs", """[{"apiGroups":[""],"resources":["pods"]}]""", "Role.rbac.authorization.k8s.io \"bad\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value")]
    [InlineData("rbac-no-resources", """[{"verbs":["get"]}]""", "Role.rbac.authorization.k8s.io \"bad\" is invalid: [rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource]")]
    [InlineData("rbac-urls", """[{"verbs":["get"],"nonResourceURLs":["/healthz"]}]""", "Role.rbac.authorization.k8s.io \"bad\" is invalid: rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs")]
    public async Task Role_WithAnIncompleteRule_Returns422WithUpstreamMessage(string ns, string rules, string message)
    {
        await NamespaceAsync(ns);
        var refused = await Api.PostAsync($"{Rbac}/namespaces/{ns}/roles", Role("Role", "bad", rules));
        Assert.Equal(422, refused.Code);
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public async Task RoleBinding_DefaultsApiGroups_AndPrintsRoleAndSubjects()
    {
        var ns = await NamespaceAsync("rbac-binding");
        var created = await Api.PostAsync($"{Rbac}/namespaces/{ns}/rolebindings", Binding("RoleBinding", "readers", """{"kind":"ClusterRole","name":"view"}""",
            """[{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},{"kind":"ServiceAccount","name":"bot","namespace":"rbac-binding"},{"kind":"User","name":"bob"}]"""));
        Assert.Equal(201, created.Code);
        Assert.Equal("rbac.authorization.k8s.io", created.Object["roleRef"]!["apiGroup"]!.GetValue<string>());
        var subjects = created.Object["subjects"]!.AsArray();
        Assert.Equal("rbac.authorization.k8s.io", subjects[0]!["apiGroup"]!.GetValue<string>());
        Assert.Null(subjects[2]!["apiGroup"]);

        var table = await Api.GetAsync($"{Rbac}/namespaces/{ns}/rolebindings", TableAccept);
        Assert.Equal(["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"], table.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var cells = table.Object["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal(("readers", "ClusterRole/view", "alice, bob", "devs", "rbac-binding/bot"),
            (cells[0]!.GetValue<string>(), cells[1]!.GetValue<string>(), cells[3]!.GetValue<string>(), cells[4]!.GetValue<string>(), cells[5]!.GetValue<string>()));
    }

    [Fact]
    public async Task RoleBinding_ChangingRoleRef_Returns422CannotChangeRoleRef()
    {
        var ns = await NamespaceAsync("rbac-immutable");
        var path = $"{Rbac}/namespaces/{ns}/rolebindings";
        var created = await Api.PostAsync(path, Binding("RoleBinding", "b", """{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"a"}""", """[{"kind":"ServiceAccount","name":"default"}]"""));
        Assert.Equal(201, created.Code);

        var changed = await Api.PatchAsync($"{path}/b", """{"roleRef":{"name":"other"}}""");
        Assert.Equal(422, changed.Code);
        Assert.Equal("RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef", changed.Message);
        Assert.Equal(200, (await Api.PatchAsync($"{path}/b", """{"subjects":[{"kind":"ServiceAccount","name":"other"}]}""")).Code);
    }

    [Theory]
    [InlineData("""{"kind":"Role","name":"r"}""", """[]""", "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"")]
    [InlineData("""{"kind":"ClusterRole","name":"r"}""", """[{"kind":"ServiceAccount","name":"sa"}]""", "subjects[0].namespace: Required value")]
    [InlineData("""{"kind":"ClusterRole","name":"r"}""", """[{"kind":"Robot","name":"r2"}]""", "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"")]
    [InlineData("""{"kind":"ClusterRole","name":""}""", """[]""", "roleRef.name: Required value")]
    public async Task ClusterRoleBinding_WithABadReference_Returns422(string roleRef, string subjects, string problem)
    {
        var refused = await Api.PostAsync($"{Rbac}/clusterrolebindings", Binding("ClusterRoleBinding", "crb-bad", roleRef, subjects));
        Assert.Equal(422, refused.Code);
        Assert.Equal($"ClusterRoleBinding.rbac.authorization.k8s.io \"crb-bad\" is invalid: {problem}", refused.Message);
    }

    [Fact]
    public async Task Roles_AreWatchedAndDeletedWithTheirNamespace()
    {
        var ns = await NamespaceAsync("rbac-watch");
        using var watch = await Api.WatchAsync($"{Rbac}/namespaces/{ns}/roles?watch=true");
        Assert.Equal(201, (await Api.PostAsync($"{Rbac}/namespaces/{ns}/roles", Role("Role", "leases", """[{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["get","update"]}]"""))).Code);
        var added = await watch.NextAsync();
        Assert.Equal(("ADDED", "leases"), (added!.Value.Type, added.Value.Object["metadata"]!["name"]!.GetValue<string>()));

        var table = await Api.GetAsync($"{Rbac}/namespaces/{ns}/roles", TableAccept);
        Assert.Equal(["Name", "Created At"], table.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));

        Assert.Equal(200, (await Api.DeleteAsync($"/api/v1/namespaces/{ns}")).Code);
        var deleted = await watch.NextMatchingAsync((type, _) => type == "DELETED");
        Assert.Equal("leases", deleted.Object["metadata"]!["name"]!.GetValue<string>());
    }
}
