using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Config;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private const string Server = "https://127.0.0.1:6443";
    private readonly TempDirectory _directory = new();
    private static TestPki Pki => TestPki.Instance;

    public void Dispose() => _directory.Dispose();

    private ConfigEnvironment Environment(string? kubeconfig = null) =>
        new(name => name == "KUBECONFIG" ? kubeconfig : null, _directory.Path, _directory.Combine("no-service-account"));

    private KubernetesClientConfiguration LoadYaml(string yaml, string? context = null) =>
        KubeconfigLoader.Load(_directory.File("config", yaml), context, Environment());

    private static KubeconfigYaml Minimal(params (string Key, object Value)[] userFields) =>
        new KubeconfigYaml()
            .Cluster("c", ("server", Server), ("certificate-authority-data", KubeconfigYaml.Base64(Pki.AuthorityPem)))
            .User("u", userFields)
            .Context("ctx", "c", "u")
            .CurrentContext("ctx");

    public static TheoryData<string> KeyForms => ["rsa-pkcs1-data", "rsa-pkcs8-file", "ec-sec1-data", "ec-pkcs8-file"];

    [Theory]
    [MemberData(nameof(KeyForms))]
    public void ClientCertificate_LoadsRsaAndEcKeys_FromDataOrRelativeFiles(string form)
    {
        var identity = form switch
        {
            "rsa-pkcs1-data" => Pki.RsaClientPkcs1,
            "rsa-pkcs8-file" => Pki.RsaClientPkcs8,
            "ec-sec1-data" => Pki.EcClientSec1,
            _ => Pki.EcClientPkcs8,
        };
        var yaml = form.EndsWith("-data", StringComparison.Ordinal)
            ? Minimal(("client-certificate-data", KubeconfigYaml.Base64(identity.CertificatePem)), ("client-key-data", KubeconfigYaml.Base64(identity.KeyPem)))
            : Minimal(("client-certificate", "pki/client.crt"), ("client-key", "pki/client.key"));
        _directory.File("pki/client.crt", identity.CertificatePem);
        _directory.File("pki/client.key", identity.KeyPem);

        var configuration = LoadYaml(yaml.Build());

        Assert.NotNull(configuration.ClientCertificate);
        Assert.True(configuration.ClientCertificate.HasPrivateKey);
        Assert.Equal(identity.Subject, configuration.ClientCertificate.Subject);
        Assert.Equal(new Uri(Server), configuration.Server);
        Assert.Equal(Pki.Authority.Thumbprint, Assert.Single(configuration.CertificateAuthorities!).Thumbprint);
        Assert.Null(configuration.AccessToken);
    }

    [Fact]
    public void CertificateAuthority_FromAFile_IsResolvedAgainstTheKubeconfigDirectory()
    {
        _directory.File("certs/ca.crt", Pki.AuthorityPem);
        var yaml = new KubeconfigYaml().Cluster("c", ("server", Server), ("certificate-authority", "certs/ca.crt")).Context("ctx", "c").CurrentContext("ctx");

        var configuration = LoadYaml(yaml.Build());

        Assert.Equal(Pki.Authority.Thumbprint, Assert.Single(configuration.CertificateAuthorities!).Thumbprint);
        Assert.Null(configuration.ClientCertificate);
    }

    [Fact]
    public void Token_IsUsedAsIs_AndWinsOverATokenFile()
    {
        var configuration = LoadYaml(Minimal(("token", "abc.def"), ("tokenFile", "missing-is-fine-when-token-is-set")).Build());

        Assert.Equal("abc.def", configuration.AccessToken);
        Assert.Null(configuration.AccessTokenFile);
        Assert.DoesNotContain("abc.def", configuration.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TokenFile_IsResolvedRelatively_AndKeptAsAFileToReRead()
    {
        _directory.File("tokens/t", "from-file\n");

        var configuration = LoadYaml(Minimal(("tokenFile", "tokens/t")).Build());

        Assert.Null(configuration.AccessToken);
        Assert.Equal(_directory.Combine("tokens/t"), configuration.AccessTokenFile);
    }

    [Fact]
    public void InsecureSkipTlsVerify_IsHonouredOnlyWhenTheKubeconfigSaysSo()
    {
        var insecure = LoadYaml(new KubeconfigYaml().Cluster("c", ("server", Server), ("insecure-skip-tls-verify", true)).Context("ctx", "c").CurrentContext("ctx").Build());
        var secure = LoadYaml(Minimal().Build());

        Assert.True(insecure.InsecureSkipTlsVerify);
        Assert.Null(insecure.CertificateAuthorities);
        Assert.False(secure.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Namespace_ComesFromTheContext_ElseDefault()
    {
        var yaml = new KubeconfigYaml()
            .Cluster("c", ("server", Server))
            .Context("with", "c", ns: "edge-system")
            .Context("without", "c")
            .CurrentContext("with")
            .Build();

        Assert.Equal("edge-system", LoadYaml(yaml).Namespace);
        Assert.Equal("default", LoadYaml(yaml, context: "without").Namespace);
        Assert.Equal("without", LoadYaml(yaml, context: "without").ContextName);
    }

    [Fact]
    public void TlsServerNameAndProxy_AreCarriedOver()
    {
        var yaml = new KubeconfigYaml()
            .Cluster("c", ("server", Server), ("tls-server-name", "kubernetes.default.svc"), ("proxy-url", "socks5://127.0.0.1:1080"))
            .Context("ctx", "c").CurrentContext("ctx").Build();

        var configuration = LoadYaml(yaml);

        Assert.Equal("kubernetes.default.svc", configuration.TlsServerName);
        Assert.Equal(new Uri("socks5://127.0.0.1:1080"), configuration.Proxy);
    }

    [Fact]
    public void KubeconfigList_MergesByKubectlRules_FirstDefinitionWins_MissingFilesSkipped()
    {
        // File 1 sets the current context and defines cluster "shared"; file 2 redefines "shared"
        // (ignored), defines the user and a context; the middle entry does not exist.
        var first = _directory.File("one/config", new KubeconfigYaml()
            .Cluster("shared", ("server", "https://first.example:6443"))
            .Context("main", "shared", "alice", "first-ns")
            .CurrentContext("main")
            .Build());
        _directory.File("two/alice.token", "alice-token");
        var second = _directory.File("two/config", new KubeconfigYaml()
            .Cluster("shared", ("server", "https://second.example:6443"))
            .User("alice", ("tokenFile", "alice.token"))
            .Context("main", "shared", "nobody", "second-ns")
            .CurrentContext("other")
            .Build());
        var list = string.Join(Path.PathSeparator, first, _directory.Combine("absent/config"), "", second);

        var configuration = KubeconfigLoader.Load(null, null, Environment(list));

        Assert.Equal(new Uri("https://first.example:6443"), configuration.Server);
        Assert.Equal("first-ns", configuration.Namespace);
        Assert.Equal("main", configuration.ContextName);
        // The user's relative tokenFile is resolved against the file that defined it.
        Assert.Equal(_directory.Combine("two/alice.token"), configuration.AccessTokenFile);
        Assert.Contains(first, configuration.Source, StringComparison.Ordinal);
        Assert.Contains(second, configuration.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeconfigList_CurrentContextFromALaterFile_IsUsedWhenEarlierOnesSetNone()
    {
        var first = _directory.File("a", new KubeconfigYaml().Cluster("c", ("server", Server)).Context("x", "c").Build());
        var second = _directory.File("b", new KubeconfigYaml().CurrentContext("x").Build());

        var configuration = KubeconfigLoader.Load(null, null, Environment(first + Path.PathSeparator + second));

        Assert.Equal("x", configuration.ContextName);
    }

    [Fact]
    public void HomeConfig_IsTheFallback_AndAnExplicitPathBeatsKubeconfig()
    {
        _directory.File(".kube/config", new KubeconfigYaml().Cluster("c", ("server", "https://home:6443")).Context("x", "c").CurrentContext("x").Build());
        var explicitFile = _directory.File("explicit", new KubeconfigYaml().Cluster("c", ("server", "https://explicit:6443")).Context("x", "c").CurrentContext("x").Build());
        var listed = _directory.File("listed", new KubeconfigYaml().Cluster("c", ("server", "https://listed:6443")).Context("x", "c").CurrentContext("x").Build());

        Assert.Equal("home", KubeconfigLoader.Load(null, null, Environment()).Server.Host);
        Assert.Equal("listed", KubeconfigLoader.Load(null, null, Environment(listed)).Server.Host);
        Assert.Equal("explicit", KubeconfigLoader.Load(explicitFile, null, Environment(listed)).Server.Host);
    }

    [Fact]
    public void AnEmptyFileInTheList_IsAnEmptyConfig()
    {
        var empty = _directory.File("empty", "");
        var real = _directory.File("real", new KubeconfigYaml().Cluster("c", ("server", Server)).Context("x", "c").CurrentContext("x").Build());

        Assert.Equal("x", KubeconfigLoader.Load(null, null, Environment(empty + Path.PathSeparator + real)).ContextName);
    }
}
