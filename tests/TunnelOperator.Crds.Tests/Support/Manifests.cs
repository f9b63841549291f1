using System.Text.Json.Nodes;

namespace TunnelOperator.Crds.Tests.Support;

/// <summary>The generated CRDs, parsed back from their YAML as a reader of the files would.</summary>
internal static class Manifests
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> ByKind = new(() =>
        CrdManifests.GenerateAll()
            .Select(f => (JsonObject)YamlJson.Parse(f.Yaml))
            .ToDictionary(crd => crd["spec"]!["names"]!["kind"]!.GetValue<string>()));

    public static IReadOnlyCollection<string> Kinds => ByKind.Value.Keys.Order(StringComparer.Ordinal).ToList();

    public static JsonObject Crd(string kind) => ByKind.Value[kind];

    public static JsonObject Version(string kind) => (JsonObject)Crd(kind)["spec"]!["versions"]![0]!;

    public static JsonObject Schema(string kind) => (JsonObject)Version(kind)["schema"]!["openAPIV3Schema"]!;
}
