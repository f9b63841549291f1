using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Config;

/// <summary>Every refusal names the file and the field, and never quotes a credential.</summary>
public sealed class KubeconfigErrorTests : IDisposable
{
    private const string Server = "https://127.0.0.1:6443";
    private const string SecretToken = "s3cr3t-token-value";
    private readonly TempDirectory _directory = new();
    private static TestPki Pki => TestPki.Instance;

    public void Dispose() => _directory.Dispose();

    private static string Ca => KubeconfigYaml.Base64(Pki.AuthorityPem);

    private static KubeconfigYaml With(Func<KubeconfigYaml, KubeconfigYaml> user, params (string, object)[] cluster) =>
        user(new KubeconfigYaml().Cluster("c", cluster.Length > 0 ? cluster : [("server", Server)]))
            .Context("ctx", "c", "u")
            .CurrentContext("ctx");

    private static readonly Dictionary<string, (Func<string> Yaml, string Field, string Problem)> Cases = new()
    {
        ["server missing"] = (() => With(k => k.User("u", ("token", SecretToken)), ("certificate-authority-data", Ca)).Build(), "clusters[name=c].cluster.server", "required"),
        ["server not a URL"] = (() => With(k => k.User("u"), ("server", "127.0.0.1:6443")).Build(), "clusters[name=c].cluster.server", "not an http or https URL"),
        ["CA data and file"] = (() => With(k => k.User("u"), ("server", Server), ("certificate-authority", "ca.crt"), ("certificate-authority-data", Ca)).Build(), "certificate-authority-data", "keep one"),
        ["CA with insecure"] = (() => With(k => k.User("u"), ("server", Server), ("certificate-authority-data", Ca), ("insecure-skip-tls-verify", true)).Build(), "insecure-skip-tls-verify", "keep one"),
        ["CA file missing"] = (() => With(k => k.User("u"), ("server", Server), ("certificate-authority", "nope/ca.crt")).Build(), "clusters[name=c].cluster.certificate-authority", "cannot read"),
        ["CA data not base64"] = (() => With(k => k.User("u"), ("server", Server), ("certificate-authority-data", "%%%")).Build(), "certificate-authority-data", "not valid base64"),
        ["CA data not PEM"] = (() => With(k => k.User("u"), ("server", Server), ("certificate-authority-data", KubeconfigYaml.Base64("hello"))).Build(), "certificate-authority-data", "no PEM certificate"),
        ["insecure flag not boolean"] = (() => With(k => k.User("u"), ("server", Server), ("insecure-skip-tls-verify", "maybe")).Build(), "insecure-skip-tls-verify", "true or false"),
        ["certificate without key"] = (() => With(k => k.User("u", ("client-certificate-data", KubeconfigYaml.Base64(Pki.RsaClient.CertificatePem)))).Build(), "users[name=u].user.client-key", "required"),
        ["key without certificate"] = (() => With(k => k.User("u", ("client-key-data", KubeconfigYaml.Base64(Pki.RsaClient.KeyPem)))).Build(), "users[name=u].user.client-certificate", "required"),
        ["certificate data and file"] = (() => With(k => k.User("u", ("client-certificate", "c.crt"), ("client-certificate-data", "eA=="), ("client-key-data", "eA=="))).Build(), "client-certificate-data", "keep one"),
        ["key not matching certificate"] = (() => With(k => k.User("u", ("client-certificate-data", KubeconfigYaml.Base64(Pki.RsaClient.CertificatePem)), ("client-key-data", KubeconfigYaml.Base64(Pki.EcClient.KeyPem)))).Build(), "users[name=u].user.client-key-data", "no usable private key"),
        ["key data not base64"] = (() => With(k => k.User("u", ("client-certificate-data", KubeconfigYaml.Base64(Pki.RsaClient.CertificatePem)), ("client-key-data", "!!" + SecretToken))).Build(), "users[name=u].user.client-key-data", "not valid base64"),
        ["token file unreadable"] = (() => With(k => k.User("u", ("tokenFile", "no-such-token"))).Build(), "users[name=u].user.tokenFile", "cannot read"),
        ["exec plugin"] = (() => With(k => k.User("u", ("exec", "x"))).Build(), "users[name=u].user.exec", "not supported"),
        ["basic auth"] = (() => With(k => k.User("u", ("username", "admin"), ("password", SecretToken))).Build(), "users[name=u].user.username", "not supported"),
        ["context missing"] = (() => new KubeconfigYaml().Cluster("c", ("server", Server)).Context("ctx", "c").CurrentContext("other").Build(), "contexts", "no context named 'other'"),
        ["cluster undefined"] = (() => new KubeconfigYaml().Context("ctx", "gone").CurrentContext("ctx").Build(), "contexts[name=ctx].context.cluster", "names cluster 'gone'"),
        ["user undefined"] = (() => new KubeconfigYaml().Cluster("c", ("server", Server)).Context("ctx", "c", "ghost").CurrentContext("ctx").Build(), "contexts[name=ctx].context.user", "names user 'ghost'"),
        ["no current context"] = (() => new KubeconfigYaml().Cluster("c", ("server", Server)).Context("ctx", "c").Build(), "current-context", "not set"),
        ["entry without name"] = (() => "clusters:\n- cluster:\n    server: https://x\n", "clusters[0].name", "required"),
        ["clusters not a list"] = (() => "clusters: {}\n", "clusters", "expected a list"),
        ["invalid YAML"] = (() => "clusters: [\n  - {", "", "not valid YAML"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Load_RefusesWithTheFileAndField(string name)
    {
        var (yaml, field, problem) = Cases[name];
        var path = _directory.File("config", yaml());
        var environment = new ConfigEnvironment(_ => null, _directory.Path, _directory.Path);

        var error = Assert.Throws<KubeconfigException>(() => KubeconfigLoader.Load(path, null, environment));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretToken, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(KubeconfigYaml.Base64(Pki.RsaClient.KeyPem)[..40], error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitPath_ThatDoesNotExist_IsAnError()
    {
        var path = _directory.Combine("missing");

        var error = Assert.Throws<KubeconfigException>(() => KubeconfigLoader.Load(path, null, new ConfigEnvironment(_ => null, _directory.Path, _directory.Path)));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeconfigList_WhereNoFileExists_NamesTheVariableAndTheFiles()
    {
        var list = _directory.Combine("a") + Path.PathSeparator + _directory.Combine("b");

        var error = Assert.Throws<KubeconfigException>(() => KubeconfigLoader.Load(null, null, new ConfigEnvironment(v => v == "KUBECONFIG" ? list : null, _directory.Path, _directory.Path)));

        Assert.Equal("KUBECONFIG", error.Field);
        Assert.Contains(_directory.Combine("b"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoKubeconfigAnywhere_NamesTheHomeFile()
    {
        var error = Assert.Throws<KubeconfigException>(() => KubeconfigLoader.Load(null, null, new ConfigEnvironment(_ => null, _directory.Path, _directory.Path)));

        Assert.Equal(Path.Combine(_directory.Path, ".kube", "config"), error.FilePath);
    }
}
