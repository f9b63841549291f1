using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>A DNS server that accepts TSIG-signed dynamic updates (RFC 2136), such as BIND.</summary>
public sealed record Rfc2136Provider
{
    [Description("The authoritative DNS server to send updates to, as host:port, e.g. 10.0.0.53:53.")]
    [Pattern(Patterns.HostPort)]
    [Length(3, 260)]
    public required string Nameserver { get; init; }

    [Description("Name of the TSIG key the server knows, e.g. acme-update.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public required string TsigKeyName { get; init; }

    [Description("HMAC algorithm of the TSIG key.")]
    [Default(TsigAlgorithm.HmacSha256)]
    public TsigAlgorithm TsigAlgorithm { get; set; } = TsigAlgorithm.HmacSha256;

    [Description("Secret key holding the base64 TSIG secret.")]
    public required SecretKeyReference TsigSecretRef { get; init; }
}
