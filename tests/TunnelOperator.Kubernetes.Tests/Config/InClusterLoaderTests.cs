using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Config;

public sealed class InClusterLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private ConfigEnvironment Environment(string? host = "10.96.0.1", string? port = "443", string? kubeconfig = null)
    {
        var variables = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = host, ["KUBERNETES_SERVICE_PORT"] = port, ["KUBECONFIG"] = kubeconfig };
        return new ConfigEnvironment(name => variables.GetValueOrDefault(name), _directory.Path, _directory.Combine("sa"));
    }

    private void MountServiceAccount(string token = "projected-token\n", string? ns = "edge-system", bool ca = true)
    {
        _directory.File("sa/token", token);
        if (ca)
        {
            _directory.File("sa/ca.crt", TestPki.Instance.AuthorityPem);
        }

        if (ns is not null)
        {
            _directory.File("sa/namespace", ns);
        }
    }

    [Fact]
    public void Load_ReadsServiceVariables_TokenFile_CaAndNamespace()
    {
        MountServiceAccount();

        var configuration = InClusterLoader.Load(Environment());

        Assert.Equal(new Uri("https://10.96.0.1:443"), configuration.Server);
        Assert.Equal("edge-system", configuration.Namespace);
        Assert.Equal(_directory.Combine("sa/token"), configuration.AccessTokenFile);
        Assert.Null(configuration.AccessToken); // re-read from the file, never cached for good
        Assert.Equal(TestPki.Instance.Authority.Thumbprint, Assert.Single(configuration.CertificateAuthorities!).Thumbprint);
        Assert.Equal("in-cluster", configuration.Source);
    }

    [Fact]
    public void Load_BracketsAnIpv6ServiceAddress()
    {
        MountServiceAccount();

        Assert.Equal("https://[fd00::1]:6443/", InClusterLoader.Load(Environment(host: "fd00::1", port: "6443")).Server.ToString());
    }

    [Fact]
    public void Load_WithoutNamespaceFileOrCa_UsesDefaultAndSystemRoots()
    {
        MountServiceAccount(ns: null, ca: false);

        var configuration = InClusterLoader.Load(Environment());

        Assert.Equal("default", configuration.Namespace);
        Assert.Null(configuration.CertificateAuthorities);
    }

    [Theory]
    [InlineData(null, "443", "KUBERNETES_SERVICE_HOST")]
    [InlineData("10.96.0.1", "https", "KUBERNETES_SERVICE_PORT")]
    public void Load_WithoutUsableServiceVariables_NamesThem(string? host, string? port, string field)
    {
        MountServiceAccount();

        var error = Assert.Throws<KubeconfigException>(() => InClusterLoader.Load(Environment(host, port)));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithoutATokenFile_NamesTheFile()
    {
        var error = Assert.Throws<KubeconfigException>(() => InClusterLoader.Load(Environment()));

        Assert.Contains(_directory.Combine("sa/token"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PrefersKubeconfigVariable_ThenInCluster()
    {
        MountServiceAccount();
        var kubeconfig = _directory.File("kc", new KubeconfigYaml().Cluster("c", ("server", "https://from-kubeconfig:6443")).Context("x", "c").CurrentContext("x").Build());

        Assert.Equal("in-cluster", KubernetesClientConfiguration.Load(null, null, Environment()).Source);
        Assert.Equal("from-kubeconfig", KubernetesClientConfiguration.Load(null, null, Environment(kubeconfig: kubeconfig)).Server.Host);
        Assert.Equal("from-kubeconfig", KubernetesClientConfiguration.Load(kubeconfig, null, Environment()).Server.Host);
        Assert.True(InClusterLoader.IsAvailable(Environment()));
        Assert.False(InClusterLoader.IsAvailable(Environment(host: null)));
    }
}
