using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;

namespace TunnelOperator.Kubernetes.Tests.Support;

/// <summary>Clients for the fake server, configured the way users configure them: through a kubeconfig file.</summary>
internal static class TestClients
{
    /// <summary>A kubeconfig for <paramref name="server"/> trusting the test CA, with a client certificate (RSA unless told).</summary>
    public static string Kubeconfig(FakeApiServer server, ClientIdentity? identity = null, string ns = "default") =>
        new KubeconfigYaml()
            .Cluster("fake", ("server", server.Url.ToString().TrimEnd('/')), ("certificate-authority-data", KubeconfigYaml.Base64(TestPki.Instance.AuthorityPem)))
            .CertificateUser("admin", identity ?? TestPki.Instance.RsaClient)
            .Context("fake", "fake", "admin", ns)
            .CurrentContext("fake")
            .Build();

    public static KubernetesClient Create(FakeApiServer server, TempDirectory directory, ClientIdentity? identity = null, KubernetesClientOptions? options = null)
    {
        var path = directory.File("kubeconfig", Kubeconfig(server, identity));
        return new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(path), options ?? new KubernetesClientOptions());
    }

    /// <summary>A fake clock far from the Unix epoch, so expiry arithmetic never underflows.</summary>
    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero));
}
