using System.Net.Sockets;
using System.Net;

namespace TunnelOperator.Kubernetes.Config;

/// <summary>
/// A pod's own configuration, as client-go's <c>rest.InClusterConfig</c> builds it: the API
/// server from the <c>kubernetes</c> service's environment variables, the projected
/// service-account token (which the kubelet rotates, so it is re-read), its CA and namespace.
/// </summary>
internal static class InClusterLoader
{
    public const string HostVariable = "KUBERNETES_SERVICE_HOST";
    public const string PortVariable = "KUBERNETES_SERVICE_PORT";

    public static bool IsAvailable(ConfigEnvironment environment) =>
        !string.IsNullOrEmpty(environment.Variable(HostVariable))
        && !string.IsNullOrEmpty(environment.Variable(PortVariable))
        && File.Exists(Path.Combine(environment.ServiceAccountDirectory, "token"));

    public static KubernetesClientConfiguration Load(ConfigEnvironment environment)
    {
        var host = environment.Variable(HostVariable);
        var port = environment.Variable(PortVariable);
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeconfigException(null, $"{HostVariable}, {PortVariable}", "not set: not running in a pod (or the service links are disabled)");
        }

        if (!ushort.TryParse(port, out var portNumber) || portNumber == 0)
        {
            throw new KubeconfigException(null, PortVariable, $"'{port}' is not a port number");
        }

        // An IPv6 service address needs brackets in a URL (client-go: net.JoinHostPort).
        var hostPart = IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        if (!Uri.TryCreate($"https://{hostPart}:{portNumber}", UriKind.Absolute, out var server))
        {
            throw new KubeconfigException(null, HostVariable, $"'{host}' is not a host name or address");
        }

        var directory = environment.ServiceAccountDirectory;
        var tokenPath = Path.Combine(directory, "token");
        var token = PemCredentials.ReadFile(tokenPath, "token", tokenPath).Trim();
        if (token.Length == 0)
        {
            throw new KubeconfigException(tokenPath, "token", "empty");
        }

        var caPath = Path.Combine(directory, "ca.crt");
        var authorities = File.Exists(caPath)
            ? PemCredentials.Certificates(PemCredentials.ReadFile(caPath, "ca.crt", caPath), caPath, "ca.crt")
            : null; // client-go goes on with the system roots when the CA is missing

        var namespacePath = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespacePath) ? PemCredentials.ReadFile(namespacePath, "namespace", namespacePath).Trim() : "";

        return new KubernetesClientConfiguration
        {
            Server = server,
            Namespace = ns.Length > 0 ? ns : "default",
            CertificateAuthorities = authorities,
            AccessTokenFile = tokenPath,
            Source = "in-cluster",
        };
    }
}
