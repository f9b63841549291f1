namespace TunnelOperator.Kubernetes.Config;

/// <summary>One kubeconfig file as written, paths already made absolute against its directory.</summary>
internal sealed record KubeconfigFile(
    string Path,
    string? CurrentContext,
    IReadOnlyList<KubeconfigCluster> Clusters,
    IReadOnlyList<KubeconfigUser> Users,
    IReadOnlyList<KubeconfigContext> Contexts);

/// <summary>A <c>clusters[]</c> entry; <see cref="File"/> is where it was defined, for errors.</summary>
internal sealed record KubeconfigCluster(string File, string Name)
{
    public string? Server { get; init; }
    public string? CertificateAuthority { get; init; }
    public string? CertificateAuthorityData { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    public string? TlsServerName { get; init; }
    public string? ProxyUrl { get; init; }
}

/// <summary>A <c>users[]</c> entry. Record printing is overridden: it holds credentials.</summary>
internal sealed record KubeconfigUser(string File, string Name)
{
    public string? ClientCertificate { get; init; }
    public string? ClientCertificateData { get; init; }
    public string? ClientKey { get; init; }
    public string? ClientKeyData { get; init; }
    public string? Token { get; init; }
    public string? TokenFile { get; init; }
    public bool HasBasicAuth { get; init; }
    public bool HasExec { get; init; }
    public bool HasAuthProvider { get; init; }

    public override string ToString() => $"user {Name} from {File}";
}

/// <summary>A <c>contexts[]</c> entry.</summary>
internal sealed record KubeconfigContext(string File, string Name)
{
    public string? Cluster { get; init; }
    public string? User { get; init; }
    public string? Namespace { get; init; }
}
