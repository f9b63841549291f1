using System.Text.Json.Serialization;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A run of identical events, counted instead of repeated.</summary>
public sealed record EventSeries
{
    public int Count { get; init; }

    /// <summary>MicroTime.</summary>
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? LastObservedTime { get; init; }
}
