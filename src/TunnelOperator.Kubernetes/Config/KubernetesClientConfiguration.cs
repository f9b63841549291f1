using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.Kubernetes.Config;

/// <summary>
/// Where the API server is and how to authenticate to it: from a kubeconfig
/// (<see cref="FromKubeconfig"/>), from a pod's service account (<see cref="InCluster"/>), or by
/// the usual order (<see cref="Load"/>). Loading checks everything up front (files readable, PEM
/// parsable, key matching certificate), so a bad configuration fails at start-up, not at the
/// first request. <see cref="ToString"/> never prints credentials.
/// </summary>
public sealed class KubernetesClientConfiguration
{
    /// <summary>The API server's base URL, e.g. <c>https://127.0.0.1:6443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The context's namespace, else <c>default</c>: where namespaced calls go unless told otherwise.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>The kubeconfig context in use; null in-cluster or when built by hand.</summary>
    public string? ContextName { get; init; }

    /// <summary>
    /// The roots the server certificate must chain to. When set, only these are trusted (as
    /// client-go does with a CA); when null the system store decides.
    /// </summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>Skip server certificate checks. Only a kubeconfig that says so sets it; never use beyond tests.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The name the server certificate must carry, when it differs from the URL's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Client certificate with its private key, for TLS client authentication.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Intermediate certificates sent with <see cref="ClientCertificate"/>.</summary>
    public X509Certificate2Collection? ClientCertificateChain { get; init; }

    /// <summary>A bearer token. Takes precedence over <see cref="AccessTokenFile"/>, as the kubeconfig reference says.</summary>
    public string? AccessToken { get; init; }

    /// <summary>A file holding a bearer token, re-read every <see cref="TokenFileRefreshInterval"/> as it rotates.</summary>
    public string? AccessTokenFile { get; init; }

    /// <summary>How long a token read from <see cref="AccessTokenFile"/> is used before the file is read again (client-go: one minute).</summary>
    public TimeSpan TokenFileRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A proxy for every request (kubeconfig <c>proxy-url</c>: http, https or socks5); null uses the environment's.</summary>
    public Uri? Proxy { get; init; }

    /// <summary>Where this configuration came from, for diagnostics: files and context, or <c>in-cluster</c>.</summary>
    public string Source { get; init; } = "explicit";

    /// <summary>
    /// Loads a kubeconfig: <paramref name="path"/> alone when given; else the files the
    /// <c>KUBECONFIG</c> variable lists (merged: the first file to define a name or the current
    /// context wins; missing files are skipped); else <c>~/.kube/config</c>.
    /// </summary>
    /// <param name="path">An explicit file, as <c>kubectl --kubeconfig</c>.</param>
    /// <param name="context">A context to use instead of the current one, as <c>kubectl --context</c>.</param>
    public static KubernetesClientConfiguration FromKubeconfig(string? path = null, string? context = null) =>
        KubeconfigLoader.Load(path, context, ConfigEnvironment.Process);

    /// <summary>
    /// The pod's own identity: the API server from <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the
    /// service-account token, CA and namespace from <c>/var/run/secrets/kubernetes.io/serviceaccount</c>.
    /// </summary>
    public static KubernetesClientConfiguration InCluster() => InClusterLoader.Load(ConfigEnvironment.Process);

    /// <summary>Whether <see cref="InCluster"/> can work here: the service variables are set and a token is mounted.</summary>
    public static bool IsInCluster() => InClusterLoader.IsAvailable(ConfigEnvironment.Process);

    /// <summary>
    /// The order controller-runtime uses: an explicit kubeconfig, else <c>KUBECONFIG</c>, else
    /// in-cluster, else <c>~/.kube/config</c>.
    /// </summary>
    public static KubernetesClientConfiguration Load(string? kubeconfigPath = null, string? context = null) =>
        Load(kubeconfigPath, context, ConfigEnvironment.Process);

    internal static KubernetesClientConfiguration Load(string? kubeconfigPath, string? context, ConfigEnvironment environment)
    {
        if (kubeconfigPath is null && string.IsNullOrEmpty(environment.Variable(KubeconfigLoader.KubeconfigVariable)) && InClusterLoader.IsAvailable(environment))
        {
            return InClusterLoader.Load(environment);
        }

        return KubeconfigLoader.Load(kubeconfigPath, context, environment);
    }

    public override string ToString()
    {
        var authentication = new List<string>(2);
        if (ClientCertificate is not null)
        {
            authentication.Add("client certificate " + ClientCertificate.Subject);
        }

        if (AccessToken is not null)
        {
            authentication.Add("bearer token");
        }
        else if (AccessTokenFile is not null)
        {
            authentication.Add("bearer token file " + AccessTokenFile);
        }

        var trust = InsecureSkipTlsVerify ? "TLS verification off" : CertificateAuthorities is null ? "system roots" : $"{CertificateAuthorities.Count} CA certificate(s)";
        return $"{Server} ({Source}; namespace {Namespace}; {trust}; {(authentication.Count == 0 ? "anonymous" : string.Join(" + ", authentication))})";
    }
}
