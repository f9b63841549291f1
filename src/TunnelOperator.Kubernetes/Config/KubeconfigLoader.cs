using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.Kubernetes.Config;

/// <summary>
/// Finds, merges and resolves kubeconfig files by kubectl's rules (clientcmd
/// <c>ClientConfigLoadingRules</c>): an explicit file must exist and is used alone; the
/// <c>KUBECONFIG</c> list skips missing files and merges the rest, the first file to set a value
/// or define a name winning; otherwise <c>~/.kube/config</c>. Validation follows clientcmd's
/// (data and file variants of one field together are an error, a CA with the insecure flag is an
/// error) and, beyond it, loads every file and key now rather than at the first request.
/// </summary>
internal static class KubeconfigLoader
{
    public const string KubeconfigVariable = "KUBECONFIG";

    public static KubernetesClientConfiguration Load(string? explicitPath, string? context, ConfigEnvironment environment)
    {
        var files = Read(explicitPath, environment);
        return Resolve(files, context);
    }

    /// <summary>The files to merge, in precedence order.</summary>
    internal static IReadOnlyList<KubeconfigFile> Read(string? explicitPath, ConfigEnvironment environment)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath)
                ? [ReadFile(explicitPath)]
                : throw new KubeconfigException(explicitPath, null, "file does not exist");
        }

        var list = environment.Variable(KubeconfigVariable);
        if (!string.IsNullOrEmpty(list))
        {
            var paths = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => Path.GetFullPath(p))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var existing = paths.Where(File.Exists).Select(ReadFile).ToList();
            return existing.Count > 0
                ? existing
                : throw new KubeconfigException(null, KubeconfigVariable, $"none of the files it lists exist ({string.Join(", ", paths)})");
        }

        var home = Path.Combine(environment.HomeDirectory, ".kube", "config");
        return File.Exists(home)
            ? [ReadFile(home)]
            : throw new KubeconfigException(home, null, "no kubeconfig: KUBECONFIG is not set and this file does not exist");
    }

    private static KubeconfigFile ReadFile(string path) =>
        KubeconfigParser.Parse(path, PemCredentials.ReadFile(path, "(file)", path));

    internal static KubernetesClientConfiguration Resolve(IReadOnlyList<KubeconfigFile> files, string? contextName)
    {
        var where = string.Join(", ", files.Select(f => f.Path));
        var clusters = Merge(files, f => f.Clusters, c => c.Name);
        var users = Merge(files, f => f.Users, u => u.Name);
        var contexts = Merge(files, f => f.Contexts, c => c.Name);

        contextName ??= files.Select(f => f.CurrentContext).FirstOrDefault(c => c is not null)
            ?? throw new KubeconfigException(where, "current-context", "not set, and no context was asked for");
        if (!contexts.TryGetValue(contextName, out var context))
        {
            throw new KubeconfigException(where, "contexts", $"no context named '{contextName}'");
        }

        var contextField = $"contexts[name={contextName}].context";
        if (string.IsNullOrEmpty(context.Cluster))
        {
            throw new KubeconfigException(context.File, contextField + ".cluster", "required");
        }

        if (!clusters.TryGetValue(context.Cluster, out var cluster))
        {
            throw new KubeconfigException(context.File, contextField + ".cluster", $"names cluster '{context.Cluster}', which is not defined in {where}");
        }

        KubeconfigUser? user = null;
        if (!string.IsNullOrEmpty(context.User) && !users.TryGetValue(context.User, out user))
        {
            throw new KubeconfigException(context.File, contextField + ".user", $"names user '{context.User}', which is not defined in {where}");
        }

        return Apply(ClusterConfiguration(cluster), user, contextName, string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace, where);
    }

    private static Dictionary<string, T> Merge<T>(IReadOnlyList<KubeconfigFile> files, Func<KubeconfigFile, IReadOnlyList<T>> entries, Func<T, string> name)
    {
        var merged = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in files.SelectMany(entries))
        {
            merged.TryAdd(name(entry), entry); // the first file to define a name wins, whole entry
        }

        return merged;
    }

    private sealed record ClusterSettings(Uri Server, X509Certificate2Collection? Authorities, bool Insecure, string? TlsServerName, Uri? Proxy);

    private static ClusterSettings ClusterConfiguration(KubeconfigCluster cluster)
    {
        var field = $"clusters[name={cluster.Name}].cluster";
        if (string.IsNullOrEmpty(cluster.Server))
        {
            throw new KubeconfigException(cluster.File, field + ".server", "required");
        }

        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeconfigException(cluster.File, field + ".server", $"'{cluster.Server}' is not an http or https URL");
        }

        if (cluster.CertificateAuthority is not null && cluster.CertificateAuthorityData is not null)
        {
            throw new KubeconfigException(cluster.File, field + ".certificate-authority-data", "set together with certificate-authority; keep one");
        }

        var hasAuthority = cluster.CertificateAuthority is not null || cluster.CertificateAuthorityData is not null;
        if (hasAuthority && cluster.InsecureSkipTlsVerify)
        {
            // client-go refuses this too: a pinned CA and "trust anything" cannot both be meant.
            throw new KubeconfigException(cluster.File, field + ".insecure-skip-tls-verify", "set together with a certificate authority; keep one");
        }

        var authorities = hasAuthority
            ? PemCredentials.Certificates(
                PemCredentials.ReadPem(cluster.File, field + ".certificate-authority", cluster.CertificateAuthorityData, cluster.CertificateAuthority),
                cluster.File,
                field + (cluster.CertificateAuthorityData is null ? ".certificate-authority" : ".certificate-authority-data"))
            : null;

        Uri? proxy = null;
        if (!string.IsNullOrEmpty(cluster.ProxyUrl) && !Uri.TryCreate(cluster.ProxyUrl, UriKind.Absolute, out proxy))
        {
            throw new KubeconfigException(cluster.File, field + ".proxy-url", "not an absolute URL");
        }

        return new ClusterSettings(server, authorities, cluster.InsecureSkipTlsVerify, cluster.TlsServerName, proxy);
    }

    private static KubernetesClientConfiguration Apply(ClusterSettings cluster, KubeconfigUser? user, string contextName, string ns, string where)
    {
        X509Certificate2? certificate = null;
        X509Certificate2Collection? chain = null;
        string? token = null;
        string? tokenFile = null;
        if (user is not null)
        {
            var field = $"users[name={user.Name}].user";
            if (user.HasExec || user.HasAuthProvider)
            {
                throw new KubeconfigException(user.File, field + (user.HasExec ? ".exec" : ".auth-provider"), "credential plugins are not supported; use a client certificate or a token");
            }

            if (user.HasBasicAuth)
            {
                throw new KubeconfigException(user.File, field + ".username", "basic authentication is not supported (Kubernetes removed it in 1.19)");
            }

            (certificate, chain) = ClientCertificate(user, field);
            token = string.IsNullOrEmpty(user.Token) ? null : user.Token;
            if (token is null && user.TokenFile is not null)
            {
                // Read now so a missing file fails at start-up; the client re-reads it as it rotates.
                _ = PemCredentials.ReadFile(user.File, field + ".tokenFile", user.TokenFile);
                tokenFile = user.TokenFile;
            }
        }

        return new KubernetesClientConfiguration
        {
            Server = cluster.Server,
            Namespace = ns,
            ContextName = contextName,
            CertificateAuthorities = cluster.Authorities,
            InsecureSkipTlsVerify = cluster.Insecure,
            TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName,
            Proxy = cluster.Proxy,
            ClientCertificate = certificate,
            ClientCertificateChain = chain,
            AccessToken = token,
            AccessTokenFile = tokenFile,
            Source = $"kubeconfig {where}, context {contextName}",
        };
    }

    private static (X509Certificate2?, X509Certificate2Collection?) ClientCertificate(KubeconfigUser user, string field)
    {
        var hasCertificate = user.ClientCertificate is not null || user.ClientCertificateData is not null;
        var hasKey = user.ClientKey is not null || user.ClientKeyData is not null;
        if (user.ClientCertificate is not null && user.ClientCertificateData is not null)
        {
            throw new KubeconfigException(user.File, field + ".client-certificate-data", "set together with client-certificate; keep one");
        }

        if (user.ClientKey is not null && user.ClientKeyData is not null)
        {
            throw new KubeconfigException(user.File, field + ".client-key-data", "set together with client-key; keep one");
        }

        if (hasCertificate != hasKey)
        {
            throw new KubeconfigException(user.File, field + (hasCertificate ? ".client-key" : ".client-certificate"), hasCertificate
                ? "required with a client certificate (client-key or client-key-data)"
                : "required with a client key (client-certificate or client-certificate-data)");
        }

        if (!hasCertificate)
        {
            return (null, null);
        }

        var certificateField = field + (user.ClientCertificateData is null ? ".client-certificate" : ".client-certificate-data");
        var keyField = field + (user.ClientKeyData is null ? ".client-key" : ".client-key-data");
        var certificatePem = PemCredentials.ReadPem(user.File, field + ".client-certificate", user.ClientCertificateData, user.ClientCertificate);
        var keyPem = PemCredentials.ReadPem(user.File, field + ".client-key", user.ClientKeyData, user.ClientKey);
        return PemCredentials.ClientCertificate(certificatePem, keyPem, user.File, certificateField, keyField);
    }
}
