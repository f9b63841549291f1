using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Hives;

/// <summary>A participant slot in a hive, claimed once with a bootstrap code.</summary>
public sealed record HiveActor
{
    [Description("Actor identifier, unique in the hive, e.g. alice. Others address the actor as <id> (or <id>@<hive> across servers).")]
    [Pattern(Patterns.DnsLabel)]
    [Length(1, 63)]
    public required string Id { get; init; }

    [Description("user for people, bot for automation.")]
    [Default(HiveActorRole.User)]
    public HiveActorRole Role { get; set; } = HiveActorRole.User;

    [Description("Networks, in CIDR notation, the actor's key may connect from. Any address when absent.")]
    [Pattern(Patterns.Cidr)]
    [Length(3, 43)]
    [Items(0, 32)]
    [ListSet]
    public IReadOnlyList<string>? AllowedSources { get; init; }
}
