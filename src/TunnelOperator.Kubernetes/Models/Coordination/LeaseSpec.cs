using System.Text.Json.Serialization;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Coordination;

/// <summary>Who holds a lease and until when.</summary>
public sealed record LeaseSpec
{
    public string? HolderIdentity { get; init; }

    /// <summary>How long candidates wait after the last renewal before taking over.</summary>
    public int? LeaseDurationSeconds { get; init; }

    /// <summary>MicroTime.</summary>
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; init; }

    /// <summary>MicroTime.</summary>
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; init; }

    /// <summary>How many times the holder changed.</summary>
    public int? LeaseTransitions { get; init; }

    public string? Strategy { get; init; }

    public string? PreferredHolder { get; init; }
}
