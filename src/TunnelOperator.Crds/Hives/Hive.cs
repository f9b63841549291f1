using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Serialization;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Hives;

/// <summary>An end-to-end-encrypted message relay for one group of actors.</summary>
[Description("Hive runs an end-to-end-encrypted message relay for one group of actors: it authenticates actors by their Ed25519 keys, relays signed envelopes whose contents it cannot read, serves prekey bundles for session set-up and mints sealed-sender certificates. The operator runs the relay with its own store, keeps the listed actors and their one-time bootstrap codes, and can publish the relay through an EdgeNode.")]
[KubernetesEntity(ShortNames = ["hive"], Categories = ["tunneloperator"])]
[PrinterColumn("Endpoint", "string", ".status.endpoint", Description = "URL clients configure.")]
[PrinterColumn("Actors", "integer", ".status.actors", Description = "Actors registered on the hive.")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Description = "Whether the relay serves the hive.")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed record Hive : KubernetesObject, IKubernetesEntity<Hive>
{
    public static ResourceType Resource { get; } = new(CrdGroup.Name, CrdGroup.Version, "Hive", "hives", Namespaced: true);

    public static JsonTypeInfo<Hive> JsonType => CrdJsonContext.Default.Hive;

    public static JsonTypeInfo<KubernetesList<Hive>> ListJsonType => CrdJsonContext.Default.KubernetesListHive;

    [Description("Desired state: exposure, store, actors, bootstrap codes, limits and retention.")]
    [JsonPropertyOrder(1)]
    public required HiveSpec Spec { get; init; }

    [Description("Observed state, written by the operator.")]
    [JsonPropertyOrder(2)]
    public HiveStatus? Status { get; init; }
}
