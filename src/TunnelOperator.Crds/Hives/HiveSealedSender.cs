using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Hives;

/// <summary>Sealed-sender certificates, which let a recipient verify a sender the relay cannot see.</summary>
public sealed record HiveSealedSender
{
    [Description("Mint sealed-sender certificates for actors, so envelopes can hide their sender from the relay.")]
    [Default(true)]
    public bool Enabled { get; set; } = true;

    [Description("Lifetime of a minted certificate, as a Go duration; clients renew before it ends.")]
    [Default("24h")]
    [Pattern(Patterns.Duration)]
    [Length(2, 32)]
    public string CertificateLifetime { get; set; } = "24h";
}
