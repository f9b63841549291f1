using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>The ACME account the edge uses to obtain certificates (RFC 8555).</summary>
public sealed record AcmeSpec
{
    internal const string LetsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory";

    [Description("Contact address registered with the ACME account; the CA sends expiry and policy notices there.")]
    [Pattern(Patterns.Email)]
    [Length(3, 254)]
    public required string Email { get; init; }

    [Description("ACME directory URL. Defaults to Let's Encrypt production; use its staging directory (or a test CA such as Pebble) while trying things out, to stay clear of rate limits.")]
    [Default(LetsEncryptProduction)]
    [Pattern(Patterns.HttpsUrl)]
    [Length(9, 2048)]
    public string Server { get; set; } = LetsEncryptProduction;

    [Description("Answer DNS-01 challenges, needed for a wildcard certificate of the base host. Without it the edge uses HTTP-01 on its http port and issues per hostname on first use.")]
    public AcmeDns01? Dns01 { get; init; }
}
