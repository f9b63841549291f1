using System.Security.Authentication;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Client;

/// <summary>TLS trust, client certificates and bearer tokens, end to end from a kubeconfig or a pod's mount.</summary>
public sealed class AuthenticationTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private static TestPki Pki => TestPki.Instance;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private KubernetesClient Client(string yaml, KubernetesClientOptions? options = null) =>
        new(KubernetesClientConfiguration.FromKubeconfig(_directory.File("kc-" + Guid.NewGuid().ToString("N"), yaml)), options);

    private static string Server(FakeApiServer server) => server.Url.ToString().TrimEnd('/');

    private static Task<Namespace?> Probe(KubernetesClient client) => client.Resource<Namespace>().TryGetAsync("default", Ct);

    [Fact]
    public async Task EcClientCertificate_Authenticates()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = TestClients.Create(server, _directory, Pki.EcClientPkcs8);

        await Probe(client);

        Assert.Equal("CN=admin-ec, O=system:masters", server.Single("GET").ClientCertificateSubject);
    }

    [Fact]
    public async Task NoClientCertificate_IsRefusedAtTheHandshake()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = Client(new KubeconfigYaml()
            .Cluster("c", ("server", Server(server)), ("certificate-authority-data", KubeconfigYaml.Base64(Pki.AuthorityPem)))
            .Context("x", "c").CurrentContext("x").Build());

        await Assert.ThrowsAsync<HttpRequestException>(() => Probe(client));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ClientCertificateFromAnotherAuthority_IsRefused()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = TestClients.Create(server, _directory, Pki.UntrustedClient());

        await Assert.ThrowsAsync<HttpRequestException>(() => Probe(client));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ServerNotSignedByTheConfiguredCa_IsRefused()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = Client(new KubeconfigYaml()
            .Cluster("c", ("server", Server(server)), ("certificate-authority-data", KubeconfigYaml.Base64(Pki.OtherAuthorityPem)))
            .CertificateUser("u", Pki.RsaClient)
            .Context("x", "c", "u").CurrentContext("x").Build());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Probe(client));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task NoCa_MeansSystemRoots_WhichDoNotTrustTheTestCa()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = Client(new KubeconfigYaml()
            .Cluster("c", ("server", Server(server)))
            .CertificateUser("u", Pki.RsaClient)
            .Context("x", "c", "u").CurrentContext("x").Build());

        await Assert.ThrowsAsync<HttpRequestException>(() => Probe(client));
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_FromTheKubeconfig_AcceptsAnUnknownServer()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = Client(new KubeconfigYaml()
            .Cluster("c", ("server", Server(server)), ("insecure-skip-tls-verify", true))
            .CertificateUser("u", Pki.RsaClient)
            .Context("x", "c", "u").CurrentContext("x").Build());

        await Probe(client);

        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("kubernetes.default.svc", true)]
    [InlineData("wrong.example", false)]
    public async Task TlsServerName_IsTheNameTheCertificateMustCarry(string serverName, bool accepted)
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = Client(new KubeconfigYaml()
            .Cluster("c", ("server", Server(server)), ("certificate-authority-data", KubeconfigYaml.Base64(Pki.AuthorityPem)), ("tls-server-name", serverName))
            .CertificateUser("u", Pki.RsaClient)
            .Context("x", "c", "u").CurrentContext("x").Build());

        if (accepted)
        {
            await Probe(client);
        }
        else
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => Probe(client));
        }
    }

    [Fact]
    public async Task BearerToken_IsSent_AndAWrongOneIsUnauthorized()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { RequireClientCertificate = false, AcceptToken = t => t == "good-token" });
        string Yaml(string token) => new KubeconfigYaml()
            .Cluster("c", ("server", Server(server)), ("certificate-authority-data", KubeconfigYaml.Base64(Pki.AuthorityPem)))
            .User("u", ("token", token))
            .Context("x", "c", "u").CurrentContext("x").Build();
        using var good = Client(Yaml("good-token"));
        using var bad = Client(Yaml("bad-token"));

        await Probe(good);
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => Probe(bad));

        Assert.Equal("Bearer good-token", server.RequestList[0].Authorization);
        Assert.True(error.IsUnauthorized);
        Assert.DoesNotContain("bad-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InCluster_ServiceAccountToken_IsReReadAsTheKubeletRotatesIt()
    {
        var accepted = new HashSet<string> { "token-1", "token-2" };
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { RequireClientCertificate = false, AcceptToken = accepted.Contains });
        var tokenPath = _directory.File("sa/token", "token-1\n");
        _directory.File("sa/ca.crt", Pki.AuthorityPem);
        _directory.File("sa/namespace", "tunneloperator-system");
        var variables = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1", ["KUBERNETES_SERVICE_PORT"] = server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var configuration = InClusterLoader.Load(new ConfigEnvironment(variables.GetValueOrDefault, _directory.Path, _directory.Combine("sa")));
        var clock = TestClients.Clock();
        using var client = new KubernetesClient(configuration, new KubernetesClientOptions { TimeProvider = clock });

        await Probe(client);
        File.WriteAllText(tokenPath, "token-2\n");
        await Probe(client);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Probe(client);

        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], server.RequestList.Select(r => r.Authorization));
        Assert.Equal("tunneloperator-system", client.DefaultNamespace);
    }
}
