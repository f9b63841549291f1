using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TunnelOperator.Edge.Tls;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class EdgeCertificatesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edge-certs-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Select_GivenCa_IssuesForTheBaseHostOneLabelUnderItAndTheTlsNamesOnly()
    {
        var (caCert, caKey) = WriteCa();
        using var certificates = EdgeCertificates.Load(new EdgeOptions
        {
            BaseHost = "tunnels.example.com",
            DataDirectory = _dir,
            TlsCaCertificatePath = caCert,
            TlsCaKeyPath = caKey,
            TlsNames = ["edge.shop.svc.cluster.local", "edge.shop.svc"],
        });

        Assert.Equal(caCert, certificates.CaCertificatePath);
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caCert));
        foreach (var name in new[] { "shop-1a2b.tunnels.example.com", "tunnels.example.com", "edge.shop.svc.cluster.local", "EDGE.shop.svc" })
        {
            var served = certificates.Select(name);
            Assert.NotSame(certificates.DefaultCertificate, served);
            Assert.True(served.MatchesHostname(name), name);
            Assert.Equal(ca.Subject, served.Issuer);
        }

        foreach (var name in new[] { "a.b.tunnels.example.com", "evil.example.org", "edge.other.svc.cluster.local", "bad_label.tunnels.example.com" })
        {
            Assert.Same(certificates.DefaultCertificate, certificates.Select(name));
        }

        Assert.False(File.Exists(Path.Combine(_dir, "ca.key")), "a given CA is not replaced by a generated one");
    }

    [Fact]
    public void Select_WithASuppliedPair_MintsOnlyTheTlsNames()
    {
        var (caCert, caKey) = WriteCa();
        var (leafCert, leafKey) = WriteLeaf(caCert, caKey, "*.tunnels.example.com");
        using var certificates = EdgeCertificates.Load(new EdgeOptions
        {
            BaseHost = "tunnels.example.com",
            DataDirectory = _dir,
            TlsCertificatePath = leafCert,
            TlsKeyPath = leafKey,
            TlsCaCertificatePath = caCert,
            TlsCaKeyPath = caKey,
            TlsNames = ["edge.shop.svc.cluster.local"],
        });

        Assert.Same(certificates.DefaultCertificate, certificates.Select("shop.tunnels.example.com"));
        Assert.True(certificates.Select("edge.shop.svc.cluster.local").MatchesHostname("edge.shop.svc.cluster.local"));
    }

    [Fact]
    public void Select_TheMintedCacheIsBounded()
    {
        using var certificates = EdgeCertificates.Load(new EdgeOptions { BaseHost = "t.example.com", DataDirectory = _dir });
        certificates.MintLimit = 4;

        for (var i = 0; i < 10; i++)
        {
            Assert.True(certificates.Select($"n{i}.t.example.com").MatchesHostname($"n{i}.t.example.com"));
        }

        Assert.InRange(certificates.MintedCount, 1, 4);
        Assert.Equal(1024, EdgeCertificates.MaxMinted);
    }

    [Fact]
    public void Load_ACaCertificateWithoutItsKeyIsRefused()
    {
        var (caCert, _) = WriteCa();

        Assert.Throws<InvalidOperationException>(() => EdgeCertificates.Load(new EdgeOptions { DataDirectory = _dir, TlsCaCertificatePath = caCert }));
    }

    private (string Cert, string Key) WriteCa()
    {
        Directory.CreateDirectory(_dir);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test edge CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var cert = Path.Combine(_dir, "given-ca.crt");
        var keyPath = Path.Combine(_dir, "given-ca.key");
        File.WriteAllText(cert, ca.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (cert, keyPath);
    }

    private (string Cert, string Key) WriteLeaf(string caCert, string caKey, string name)
    {
        using var ca = X509Certificate2.CreateFromPemFile(caCert, caKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        var cert = Path.Combine(_dir, "leaf.crt");
        var keyPath = Path.Combine(_dir, "leaf.key");
        File.WriteAllText(cert, leaf.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (cert, keyPath);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
