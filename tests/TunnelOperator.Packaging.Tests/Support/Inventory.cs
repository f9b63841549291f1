namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>Every object of the kinds an install can create, by name, to compare a plane before and after.</summary>
internal static class Inventory
{
    private const string Kinds = "namespaces,customresourcedefinitions,clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts,services,deployments,configmaps,secrets";

    public static async Task<IReadOnlyList<string>> TakeAsync(Kubectl kubectl)
    {
        var output = await kubectl.RunAsync("get", Kinds, "--all-namespaces", "-o", "custom-columns=KIND:.kind,NAMESPACE:.metadata.namespace,NAME:.metadata.name", "--no-headers");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }
}
