using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>The desired state of an <see cref="EdgeNode"/>.</summary>
[CelRule("self.replicas <= 1 || self.store.type == 'postgres'", ReplicasNeedPostgres, FieldPath = ".replicas")]
public sealed record EdgeNodeSpec
{
    internal const string ReplicasNeedPostgres = "more than one replica needs the postgres store";

    [Description("Domain under which tunnels get their subdomains, e.g. tnl.example.com gives shop.tnl.example.com. Point <baseHost> and *.<baseHost> at the edge's address.")]
    [Pattern(Patterns.DnsName)]
    [Length(1, 253)]
    public required string BaseHost { get; init; }

    [Description("Number of edge pods. Agents connect to every replica, so any replica serves any tunnel; more than one needs the postgres store.")]
    [Default(1)]
    [Range(0, 20)]
    public int Replicas { get; set; } = 1;

    [Description("Ports the edge listens on.")]
    [Default]
    public EdgePorts Ports { get; set; } = new();

    [Description("The Service in front of the edge pods.")]
    [Default]
    public EdgeServiceSpec Service { get; set; } = new();

    [Description("Where the edge keeps tenants, tokens and named tunnels.")]
    [Default]
    public StoreSpec Store { get; set; } = new();

    [Description("Certificates of the public TLS listener.")]
    [Default]
    public EdgeTlsSpec Tls { get; set; } = new();

    [Description("Default limit of requests in flight through one tunnel; a Tunnel may set its own.")]
    [Default(256)]
    [Range(1, 100000)]
    public int MaxConcurrentRequests { get; set; } = 256;

    [Description("Largest request body the edge forwards, in bytes; larger requests are refused with 413. Unlimited when absent.")]
    [Minimum(1)]
    public long? MaxRequestBodyBytes { get; init; }

    [Description("Edge container image, overriding the operator's default (the suite's own image, which runs tunneld).")]
    [Pattern(Patterns.Image)]
    [Length(1, 512)]
    public string? Image { get; init; }

    /// <summary>The checks of the CEL rules of the spec and the types inside it.</summary>
    public IReadOnlyList<SpecViolation> Validate()
    {
        var violations = new List<SpecViolation>();
        if (Replicas > 1 && Store.Type != StoreType.Postgres)
        {
            violations.Add(new("spec.replicas", ReplicasNeedPostgres));
        }

        Store.Validate("spec.store", violations);
        if (Tls.Mode == TlsMode.Secret && Tls.SecretName is null)
        {
            violations.Add(new("spec.tls.secretName", EdgeTlsSpec.SecretModeNeedsSecretName));
        }

        if (Tls.Mode == TlsMode.Acme && Tls.Acme is null)
        {
            violations.Add(new("spec.tls.acme", EdgeTlsSpec.AcmeModeNeedsAcme));
        }

        return violations;
    }
}
