namespace TunnelOperator.ControlPlane.Tests.Kubectl;

/// <summary>kubectl's RBAC commands (typed clients, protobuf bodies) and tables; nothing here asks for authorization.</summary>
public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task CreateClusterRole_ThenGetAndDescribe()
    {
        Assert.Equal("clusterrole.rbac.authorization.k8s.io/k-reader created",
            (await Kubectl("create", "clusterrole", "k-reader", "--verb=get,list,watch", "--resource=secrets,deployments.apps", "--resource-name=one")).Trim());
        Assert.Equal("clusterrole.rbac.authorization.k8s.io/k-urls created",
            (await Kubectl("create", "clusterrole", "k-urls", "--verb=get", "--non-resource-url=/healthz")).Trim());

        var table = await Kubectl("get", "clusterroles");
        Assert.Matches(@"^NAME\s+CREATED AT\s*\n", table);
        Assert.Matches(@"(?m)^k-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s*$", table);
        Assert.Equal("get list watch", await Kubectl("get", "clusterrole", "k-reader", "-o", "jsonpath={.rules[0].verbs[*]}"));
        Assert.Equal("apps", await Kubectl("get", "clusterrole", "k-reader", "-o", "jsonpath={.rules[1].apiGroups[0]}"));
        Assert.Equal("/healthz", await Kubectl("get", "clusterrole", "k-urls", "-o", "jsonpath={.rules[0].nonResourceURLs[0]}"));
        Assert.Matches(@"(?m)^\s+secrets\s+\[\]\s+\[one\]\s+\[get list watch\]\s*$", await Kubectl("describe", "clusterrole", "k-reader"));
    }

    [Fact]
    public async Task CreateRoleAndRoleBinding_PrintRoleAndSubjectsWide()
    {
        var ns = await NamespaceAsync("k-rbac");
        Assert.Equal("role.rbac.authorization.k8s.io/lease-holder created",
            (await Kubectl("create", "role", "lease-holder", "-n", ns, "--verb=get,update", "--resource=leases.coordination.k8s.io")).Trim());
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/holders created",
            (await Kubectl("create", "rolebinding", "holders", "-n", ns, "--role=lease-holder", "--serviceaccount=k-rbac:operator", "--user=alice", "--group=ops")).Trim());
        Assert.Equal("clusterrolebinding.rbac.authorization.k8s.io/k-readers created",
            (await Kubectl("create", "clusterrolebinding", "k-readers", "--clusterrole=view", "--serviceaccount=k-rbac:operator")).Trim());

        Assert.Matches(@"(?m)^holders\s+Role/lease-holder\s+\d+s\s*$", await Kubectl("get", "rolebindings", "-n", ns));
        var wide = await Kubectl("get", "rolebinding", "holders", "-n", ns, "-o", "wide");
        Assert.Matches(@"^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\s*\n", wide);
        Assert.Matches(@"(?m)^holders\s+Role/lease-holder\s+\d+s\s+alice\s+ops\s+k-rbac/operator\s*$", wide);
        Assert.Matches(@"(?m)^k-readers\s+ClusterRole/view\s+\d+s\s*$", await Kubectl("get", "clusterrolebinding", "k-readers"));
        Assert.Equal("rbac.authorization.k8s.io", await Kubectl("get", "rolebinding", "holders", "-n", ns, "-o", "jsonpath={.subjects[?(@.kind==\"User\")].apiGroup}"));
    }

    [Fact]
    public async Task Apply_RoleBindingWithAnotherRole_IsRefusedWithCannotChangeRoleRef()
    {
        var ns = await NamespaceAsync("k-rbac-apply");
        string Binding(string role) => $"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: {role}
              namespace: {ns}
            rules:
            - apiGroups: [""]
              resources: ["configmaps"]
              verbs: ["get"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: binding
              namespace: {ns}
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: {role}
            subjects:
            - kind: ServiceAccount
              name: default
              namespace: {ns}
            """;
        var path = _harness.Write("apply-rbac.yaml", Binding("first"));
        Assert.Equal("role.rbac.authorization.k8s.io/first created\nrolebinding.rbac.authorization.k8s.io/binding created", (await Kubectl("apply", "-f", path)).Trim());
        Assert.Equal("role.rbac.authorization.k8s.io/first serverside-applied\nrolebinding.rbac.authorization.k8s.io/binding serverside-applied",
            (await Kubectl("apply", "--server-side", "--force-conflicts", "-f", path)).Trim());

        _harness.Write("apply-rbac.yaml", Binding("second"));
        var refused = await KubectlResult("apply", "-f", path);
        Assert.False(refused.Succeeded, refused.ToString());
        Assert.Contains("role.rbac.authorization.k8s.io/second created", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("The RoleBinding \"binding\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"second\"}: cannot change roleRef",
            refused.StandardError, StringComparison.Ordinal);
        Assert.Equal("first", await Kubectl("get", "rolebinding", "binding", "-n", ns, "-o", "jsonpath={.roleRef.name}"));
    }

    [Fact]
    public async Task ApiResources_ListsTheRbacKinds()
    {
        var output = await Kubectl("api-resources", "--api-group=rbac.authorization.k8s.io");
        Assert.Matches(@"(?m)^clusterroles\s+rbac\.authorization\.k8s\.io/v1\s+false\s+ClusterRole\s*$", output);
        Assert.Matches(@"(?m)^rolebindings\s+rbac\.authorization\.k8s\.io/v1\s+true\s+RoleBinding\s*$", output);
    }
}
