using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>
/// The operator's ClusterRole grants what its code does with the API and nothing more; its leader election
/// Role grants what the Lease elector does. No wildcards, no privilege verbs.
/// </summary>
public sealed partial class RbacLeastPrivilegeTests
{
    private const string Crds = "tunneloperator.io";

    /// <summary>
    /// What the operator's code does with the API. Keep in sync with src/TunnelOperator.Operator (and the runtime
    /// in src/TunnelOperator.Controllers it uses); grant a kind here and in config/rbac/role.yaml together with
    /// the controller that needs it.
    /// </summary>
    private static readonly (string Group, string Resource, string[] Verbs, string Why)[] Needed =
    [
        (Crds, "edgenodes", ["get", "list", "watch"], "informer: For<EdgeNode> and the tunnels controller's Watches<EdgeNode>"),
        (Crds, "tunnels", ["get", "list", "watch", "patch"], "informer: For<Tunnel>; Finalizers.EnsureAsync merge-patches metadata.finalizers and re-reads"),
        (Crds, "edgenodes/status", ["patch"], "StatusWriter: server-side apply (or merge patch) of /status"),
        (Crds, "tunnels/status", ["patch"], "StatusWriter"),
        (Crds, "edgenodes/finalizers", ["update"], "children's controller ownerReferences set blockOwnerDeletion (OwnerReferencesPermissionEnforcement)"),
        (Crds, "tunnels/finalizers", ["update"], "the same for the agent Deployment and token Secret"),
        ("apps", "deployments", ["get", "list", "watch", "create", "patch", "delete"], "Owns<Deployment>; ChildApplier server-side applies (create when new); DeleteOwnedAsync removes an agent"),
        ("", "services", ["get", "list", "watch", "create", "patch"], "Owns<Service> (edge admin Service), Watches<Service> (Tunnel targets); server-side apply"),
        ("", "secrets", ["get", "list", "watch", "create", "patch"], "Owns<Secret> (edge admin token, CA, tunnel tokens); OperatorContext.ReadAsync; server-side apply"),
        ("", "events", ["create", "patch"], "EventRecorder: core/v1 Events, repeats aggregated by merge patch"),
    ];

    /// <summary>LeaderElector.Lease: get, create when missing, replace to renew and release.</summary>
    private static readonly string[] LeaseVerbs = ["get", "create", "update"];

    private static SortedSet<string> Expand(IEnumerable<(string Group, string Resource, string[] Verbs, string Why)> rows) =>
        new(rows.SelectMany(r => r.Verbs.Select(v => new Permission(r.Group, r.Resource, v).ToString())), StringComparer.Ordinal);

    private static JsonArray Rules(params string[] file) => YamlDocuments.ParseFile(["config", "rbac", .. file]).Single()["rules"]!.AsArray();

    [Fact]
    public void ClusterRole_GrantsExactlyWhatTheOperatorsCodeNeeds()
    {
        var granted = PolicyRules.Expand(Rules("role.yaml"));
        var needed = Expand(Needed);
        Assert.True(needed.SetEquals(granted), $"config/rbac/role.yaml vs the operator's needs: {PolicyRules.Difference(needed, granted)}");
    }

    [Fact]
    public void LeaderElectionRole_GrantsOnlyTheLeaseVerbs()
    {
        var granted = PolicyRules.Expand(Rules("leader_election_role.yaml"));
        var needed = Expand([("coordination.k8s.io", "leases", LeaseVerbs, "")]);
        Assert.True(needed.SetEquals(granted), $"config/rbac/leader_election_role.yaml vs the elector's needs: {PolicyRules.Difference(needed, granted)}");
    }

    public static TheoryData<string> RuleSources() => new("config/rbac/role.yaml", "config/rbac/leader_election_role.yaml", "charts/tunnel-operator/templates (rendered)");

    [Theory]
    [MemberData(nameof(RuleSources))]
    public async Task Rules_HaveNoWildcardsPrivilegeVerbsOrNonResourceUrls(string source)
    {
        var rules = source.StartsWith("charts", StringComparison.Ordinal)
            ? (await HelmRender.RenderOkAsync()).Objects.Where(o => o["kind"]!.GetValue<string>() is "Role" or "ClusterRole").SelectMany(o => o["rules"]!.AsArray()).ToList()
            : [.. YamlDocuments.ParseFile(source.Split('/')).Single()["rules"]!.AsArray()];
        Assert.NotEmpty(rules);
        foreach (var rule in rules.OfType<JsonObject>())
        {
            foreach (var field in new[] { "apiGroups", "resources", "verbs" })
            {
                Assert.DoesNotContain("*", PolicyRules.Strings(rule[field]));
            }

            // escalate/bind let a role grant more than it holds; impersonate acts as anyone, secrets included.
            Assert.Empty(PolicyRules.Strings(rule["verbs"]).Intersect(["escalate", "bind", "impersonate", "deletecollection"]));
            Assert.Null(rule["nonResourceURLs"]);
            Assert.DoesNotContain(PolicyRules.Strings(rule["resources"]), r => r is "roles" or "clusterroles" or "rolebindings" or "clusterrolebindings" or "serviceaccounts/token");
        }
    }

    [GeneratedRegex(@"\.(For|Owns|Watches)<(\w+)>")]
    private static partial Regex InformerCall();

    /// <summary>
    /// Every kind the operator's controllers read through an informer (For/Owns/Watches in its sources) is one the
    /// table lets it get, list and watch, and every kind the table lists and watches is read that way. Kinds map
    /// to resources through their types' static <c>Resource</c>.
    /// </summary>
    [Fact]
    public void InformerKinds_InTheOperatorsSources_AreTheListedAndWatchedKinds()
    {
        var sources = Repository.File("src", "TunnelOperator.Operator");
        if (!Directory.Exists(sources))
        {
            // Before the operator project lands, the table above is the whole contract.
            return;
        }

        var resources = new[] { typeof(TunnelOperator.Crds.Tunnels.Tunnel).Assembly, typeof(TunnelOperator.Kubernetes.Models.Core.Secret).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => !t.ContainsGenericParameters)
            .Select(t => (t.Name, Resource: t.GetProperty("Resource", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as TunnelOperator.Kubernetes.Models.ResourceType))
            .Where(t => t.Resource is not null)
            .GroupBy(t => t.Name)
            .ToDictionary(g => g.Key, g => g.First().Resource!);
        var watched = Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => InformerCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[2].Value))
            .Distinct()
            .Select(kind => resources.TryGetValue(kind, out var r) ? $"{r.Group}/{r.Plural}" : throw new InvalidOperationException($"the operator watches {kind}: map it to its resource here"))
            .ToHashSet();
        Assert.NotEmpty(watched);
        var listed = Needed.Where(n => n.Verbs.Contains("watch") && n.Verbs.Contains("list") && n.Verbs.Contains("get")).Select(n => $"{n.Group}/{n.Resource}").ToHashSet();
        Assert.True(listed.SetEquals(watched), $"informers in src/TunnelOperator.Operator: [{string.Join(", ", watched.Order())}]; listed and watched in the table: [{string.Join(", ", listed.Order())}]");
    }
}
