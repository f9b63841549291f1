using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>What a fresh cluster has: the system namespaces and the <c>kubernetes</c> Service in default.</summary>
internal static class Bootstrap
{
    private const string Manager = "kube-apiserver";

    public static async Task RunAsync(ResourceService service, CancellationToken ct)
    {
        var namespaces = service.Registry.FindByKey(ResourceService.NamespacesKey)!;
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
            await service.EnsureAsync(namespaces, "", ns, Manager, ct);
        }

        var services = service.Registry.FindByKey(new ResourceKey("", "services"))!;
        var kubernetes = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
            },
        };
        // A data directory created with another service CIDR: the kubernetes service moves into the current
        // range (kube-apiserver's kubernetes-service controller recreates it the same way).
        var strategy = (ServiceStrategy)services.Strategy;
        if (service.Get(services, "default", "kubernetes") is { } existing && !strategy.Cidr.Contains(Meta.Str(existing["spec"]?["clusterIP"])))
        {
            await service.DeleteAsync(services, "default", "kubernetes", DeleteOptions.Default, ct);
        }

        await service.EnsureAsync(services, "default", kubernetes, Manager, ct);
    }
}
