using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Discovery;

/// <summary>
/// The discovery documents, computed from the registry on each request: legacy (<c>APIVersions</c>,
/// <c>APIGroupList</c>, <c>APIGroup</c>, <c>APIResourceList</c>) and aggregated
/// (<c>apidiscovery.k8s.io</c> <c>APIGroupDiscoveryList</c>, which kubectl 1.30+ asks for first).
/// </summary>
internal static class DiscoveryDocuments
{
    private static readonly JsonArray SubresourceVerbs = new("get", "patch", "update");

    /// <summary>Group names in the order served: built-in groups first, as kube-apiserver lists them.</summary>
    public static IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups(IReadOnlyList<ResourceDefinition> all, bool core)
    {
        return [.. all.Where(d => (d.Group.Length == 0) == core)
            .GroupBy(d => d.Group)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(d => d.Version).Distinct().OrderBy(v => v, VersionPriority.Instance)]))];
    }

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Group(string name, IReadOnlyList<string> versions)
    {
        var list = new JsonArray([.. versions.Select(v => (JsonNode)GroupVersion(name, v))]);
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = list,
            ["preferredVersion"] = GroupVersion(name, versions[0]),
        };
    }

    private static JsonObject GroupVersion(string group, string version) => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    public static JsonObject GroupList(IReadOnlyList<ResourceDefinition> all)
    {
        var groups = new JsonArray();
        foreach (var (name, versions) in Groups(all, core: false))
        {
            var g = Group(name, versions);
            g.Remove("kind");
            g.Remove("apiVersion");
            groups.Add(g);
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject ResourceList(IReadOnlyList<ResourceDefinition> all, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var d in all.Where(d => d.Group == group && d.Version == version))
        {
            var r = new JsonObject
            {
                ["name"] = d.Resource,
                ["singularName"] = d.Singular,
                ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind,
                ["verbs"] = Strings(d.Verbs),
            };
            if (d.ShortNames.Count > 0)
            {
                r["shortNames"] = Strings(d.ShortNames);
            }

            if (d.Categories.Count > 0)
            {
                r["categories"] = Strings(d.Categories);
            }

            r["storageVersionHash"] = StorageVersionHash(d);
            resources.Add(r);
            if (d.HasStatus)
            {
                resources.Add(new JsonObject { ["name"] = d.Resource + "/status", ["singularName"] = "", ["namespaced"] = d.Namespaced, ["kind"] = d.Kind, ["verbs"] = SubresourceVerbs.DeepClone() });
            }

            if (d.Scale is not null)
            {
                resources.Add(new JsonObject { ["name"] = d.Resource + "/scale", ["singularName"] = "", ["namespaced"] = d.Namespaced, ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = SubresourceVerbs.DeepClone() });
            }

            if (d.Resource == "namespaces")
            {
                resources.Add(new JsonObject { ["name"] = "namespaces/finalize", ["singularName"] = "", ["namespaced"] = false, ["kind"] = "Namespace", ["verbs"] = new JsonArray("update") });
            }
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["resources"] = resources };
    }

    /// <summary>An opaque hash of the storage identity (kube-apiserver hashes group/version/kind of the storage version).</summary>
    private static string StorageVersionHash(ResourceDefinition d)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{d.Group}/{d.Version}/{d.Kind}"));
        return Convert.ToBase64String(bytes, 0, 8);
    }

    /// <summary>The aggregated form (apidiscovery.k8s.io v2 or v2beta1) for the core group or for all others.</summary>
    public static JsonObject Aggregated(IReadOnlyList<ResourceDefinition> all, bool core, string apiVersion)
    {
        var items = new JsonArray();
        foreach (var (name, versions) in Groups(all, core))
        {
            var versionList = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var d in all.Where(d => d.Group == name && d.Version == version))
                {
                    var r = new JsonObject
                    {
                        ["resource"] = d.Resource,
                        ["responseKind"] = new JsonObject { ["group"] = d.Group, ["version"] = d.Version, ["kind"] = d.Kind },
                        ["scope"] = d.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = d.Singular,
                        ["verbs"] = Strings(d.Verbs),
                    };
                    if (d.ShortNames.Count > 0)
                    {
                        r["shortNames"] = Strings(d.ShortNames);
                    }

                    if (d.Categories.Count > 0)
                    {
                        r["categories"] = Strings(d.Categories);
                    }

                    var subresources = new JsonArray();
                    if (d.Scale is not null)
                    {
                        subresources.Add(new JsonObject { ["subresource"] = "scale", ["responseKind"] = new JsonObject { ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale" }, ["verbs"] = SubresourceVerbs.DeepClone() });
                    }

                    if (d.HasStatus)
                    {
                        subresources.Add(new JsonObject { ["subresource"] = "status", ["responseKind"] = new JsonObject { ["group"] = d.Group, ["version"] = d.Version, ["kind"] = d.Kind }, ["verbs"] = SubresourceVerbs.DeepClone() });
                    }

                    if (subresources.Count > 0)
                    {
                        r["subresources"] = subresources;
                    }

                    resources.Add(r);
                }

                versionList.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["creationTimestamp"] = null }, ["versions"] = versionList });
        }

        return new JsonObject { ["kind"] = "APIGroupDiscoveryList", ["apiVersion"] = apiVersion, ["metadata"] = new JsonObject(), ["items"] = items };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
