using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>Certificates of the edge's public TLS listener.</summary>
[CelRule("self.mode != 'secret' || has(self.secretName)", SecretModeNeedsSecretName, FieldPath = ".secretName")]
[CelRule("self.mode != 'acme' || has(self.acme)", AcmeModeNeedsAcme, FieldPath = ".acme")]
public sealed record EdgeTlsSpec
{
    internal const string SecretModeNeedsSecretName = "tls mode secret needs secretName";
    internal const string AcmeModeNeedsAcme = "tls mode acme needs acme";

    [Description("Source of certificates: selfSigned (the edge's own CA, for trials and closed networks), secret (a kubernetes.io/tls Secret kept current by someone else) or acme (the edge obtains them itself).")]
    [Default(TlsMode.SelfSigned)]
    public TlsMode Mode { get; set; } = TlsMode.SelfSigned;

    [Description("Name of a kubernetes.io/tls Secret in the same namespace, covering the base host and *.<baseHost>. Required when mode is secret.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public string? SecretName { get; init; }

    [Description("ACME account and challenge settings. Required when mode is acme.")]
    public AcmeSpec? Acme { get; init; }
}
