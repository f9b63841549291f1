using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.Hives;

/// <summary>What kind of participant an actor is.</summary>
public enum HiveActorRole
{
    /// <summary>A person, using the interactive client.</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>Automation (CI, a service); same rights, no interactive session.</summary>
    [JsonStringEnumMemberName("bot")]
    Bot,
}
