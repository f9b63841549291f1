using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Hives;

/// <summary>Bounds the relay enforces, so one actor cannot exhaust it.</summary>
public sealed record HiveLimits
{
    [Description("Most actors the hive may hold, listed or created through the admin API.")]
    [Default(1000)]
    [Range(1, 100000)]
    public int MaxActors { get; set; } = 1000;

    [Description("Largest signed envelope the relay accepts, ciphertext included, in bytes.")]
    [Default(262144)]
    [Range(1024, 16777216)]
    public int MaxEnvelopeBytes { get; set; } = 262144;

    [Description("Most simultaneous WebSocket connections per actor (one per device).")]
    [Default(4)]
    [Range(1, 64)]
    public int MaxConnectionsPerActor { get; set; } = 4;

    [Description("Most envelopes an actor may send per minute; a group send counts once per recipient.")]
    [Default(600)]
    [Range(1, 100000)]
    public int MessagesPerMinute { get; set; } = 600;
}
