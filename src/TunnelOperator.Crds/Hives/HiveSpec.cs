using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Hives;

/// <summary>The desired state of a <see cref="Hive"/>.</summary>
public sealed record HiveSpec
{
    [Description("Name shown in the hive's admin UI, e.g. Team Alpha. The hive's reference in URLs (/h/<ref>) is metadata.name.")]
    [Length(1, 128)]
    public string? DisplayName { get; init; }

    [Description("Publish the relay through an EdgeNode. When absent the relay is reachable only inside the cluster, through its Service.")]
    public HiveExposure? Expose { get; init; }

    [Description("Where the relay keeps actor public keys, prekey bundles, queued envelopes and bootstrap codes. Actor private keys never reach the server.")]
    [Default]
    public StoreSpec Store { get; set; } = new();

    [Description("Actors the operator keeps on the hive. Removing an entry removes the actor and its prekeys; actors created through the admin API are left alone.")]
    [Items(0, 1000)]
    [ListMapKeys("id")]
    public IReadOnlyList<HiveActor>? Actors { get; init; }

    [Description("One-time bootstrap codes for listed actors that have not claimed their key.")]
    [Default]
    public HiveBootstrap Bootstrap { get; set; } = new();

    [Description("Name of the Secret the operator writes the hive's admin bearer token into, under the key token. The relay keeps only its hash, so this Secret is the only copy. The token is not kept when absent.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public string? AdminTokenSecretName { get; init; }

    [Description("Bounds on actors, envelopes, connections and send rate.")]
    [Default]
    public HiveLimits Limits { get; set; } = new();

    [Description("How long queued envelopes and unused prekeys are kept.")]
    [Default]
    public HiveRetention Retention { get; set; } = new();

    [Description("Sealed-sender certificate minting.")]
    [Default]
    public HiveSealedSender SealedSender { get; set; } = new();

    [Description("CPU and memory of the relay container.")]
    public ContainerResources? Resources { get; init; }

    [Description("Relay container image, overriding the operator's default (the suite's own image, which runs tunneld hive).")]
    [Pattern(Patterns.Image)]
    [Length(1, 512)]
    public string? Image { get; init; }

    /// <summary>The checks of the CEL rules of the types inside the spec.</summary>
    public IReadOnlyList<SpecViolation> Validate()
    {
        var violations = new List<SpecViolation>();
        Store.Validate("spec.store", violations);
        return violations;
    }
}
