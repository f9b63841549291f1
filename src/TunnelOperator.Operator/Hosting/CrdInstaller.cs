using TunnelOperator.Crds;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.ApiExtensions;

namespace TunnelOperator.Operator.Hosting;

/// <summary>
/// Installs the tunneloperator.io CustomResourceDefinitions straight from the generator (no files
/// needed), by server-side apply so that running it again updates them, and waits until each is
/// Established (served). <c>tunneld local</c> and the tests use it; clusters get the manifests from
/// config/crd or the Helm chart.
/// </summary>
public static class CrdInstaller
{
    public const string FieldManager = "tunneld-crds";

    public static async Task InstallAsync(IKubernetesClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var names = new List<string>();
        foreach (var crd in CrdManifests.GenerateObjects())
        {
            var applied = await client.Dynamic(CustomResourceDefinition.Resource)
                .ApplyAsync((System.Text.Json.Nodes.JsonObject)crd.DeepClone(), new ApplyOptions { FieldManager = FieldManager, Force = true }, cancellationToken)
                .ConfigureAwait(false);
            names.Add((string)applied["metadata"]!["name"]!);
        }

        var crds = client.Resource<CustomResourceDefinition>();
        foreach (var name in names)
        {
            var current = await crds.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (Established(current))
            {
                continue;
            }

            var established = false;
            await foreach (var change in crds.WatchAsync(new WatchOptions { ResourceVersion = current.Metadata.ResourceVersion, TimeoutSeconds = 30 }, cancellationToken).ConfigureAwait(false))
            {
                if (change.Object?.Metadata.Name == name && Established(change.Object))
                {
                    established = true;
                    break;
                }
            }

            if (!established)
            {
                throw new InvalidOperationException($"CustomResourceDefinition {name} did not become Established within 30 s");
            }
        }
    }

    private static bool Established(CustomResourceDefinition? crd) =>
        crd?.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
}
