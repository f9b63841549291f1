using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.OpenApi;

/// <summary>One served version of a CustomResourceDefinition, as the OpenAPI builders need it.</summary>
internal sealed record CrdVersion(
    string Group,
    string Version,
    string Kind,
    string ListKind,
    string Plural,
    bool Namespaced,
    JsonObject? Schema,
    bool HasStatus,
    bool HasScale)
{
    /// <summary>The served versions of a CRD object (apiextensions.k8s.io/v1).</summary>
    public static IEnumerable<CrdVersion> From(JsonObject crd)
    {
        var spec = crd["spec"];
        var names = spec?["names"];
        var group = JsonNodes.GetString(spec?["group"]) ?? "";
        var kind = JsonNodes.GetString(names?["kind"]) ?? "";
        var listKind = JsonNodes.GetString(names?["listKind"]) ?? kind + "List";
        var plural = JsonNodes.GetString(names?["plural"]) ?? kind.ToLowerInvariant() + "s";
        var namespaced = (JsonNodes.GetString(spec?["scope"]) ?? "Namespaced") == "Namespaced";
        foreach (var v in (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonNodes.GetBool(v["served"]) == false)
            {
                continue;
            }

            var subresources = v["subresources"] as JsonObject;
            yield return new CrdVersion(
                group,
                JsonNodes.GetString(v["name"]) ?? "",
                kind,
                listKind,
                plural,
                namespaced,
                v["schema"]?["openAPIV3Schema"] as JsonObject,
                subresources?["status"] is not null,
                subresources?["scale"] is not null);
        }
    }

    /// <summary>util.ToRESTFriendlyName of group/version/kind: the group's domain reversed, e.g. io.tunneloperator.v1alpha1.Tunnel.</summary>
    public string DefinitionName => Friendly(Kind);

    public string ListDefinitionName => Friendly(ListKind);

    private string Friendly(string kind)
    {
        var reversed = string.Join(".", Group.Split('.', StringSplitOptions.RemoveEmptyEntries).Reverse());
        return reversed.Length == 0 ? $"{Version}.{kind}" : $"{reversed}.{Version}.{kind}";
    }

    /// <summary>The operation id fragment: Go-style camel case of group and version (tunneloperator.io/v1alpha1 → TunneloperatorIoV1alpha1).</summary>
    public string OperationPrefix => string.Concat(Group.Split('.', '-').Concat([Version]).Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    public string Tag => string.Join("", Group.Split('.').Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])) + "_" + Version;
}
