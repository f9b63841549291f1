using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Hives;

/// <summary>The one-time codes with which actors claim their long-term keys.</summary>
public sealed record HiveBootstrap
{
    [Description("Name of the Secret the operator keeps the current bootstrap codes in, one key per actor that has not claimed its key yet. The key is removed once the actor has claimed. No codes are minted when absent; mint them through the hive admin API instead.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public string? SecretName { get; init; }

    [Description("How long a code stays valid, as a Go duration. The operator mints a fresh code when one expires unclaimed, so keep this short.")]
    [Default("15m")]
    [Pattern(Patterns.Duration)]
    [Length(2, 32)]
    public string CodeLifetime { get; set; } = "15m";
}
