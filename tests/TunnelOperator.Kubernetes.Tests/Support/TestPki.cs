using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.Kubernetes.Tests.Support;

/// <summary>A client certificate with its key in the PEM forms kubeconfig files carry.</summary>
internal sealed record ClientIdentity(string CertificatePem, string KeyPem, string Subject);

/// <summary>
/// A throwaway PKI made per test run: a cluster CA, a server certificate for 127.0.0.1/localhost,
/// client certificates with RSA and EC keys, and a second, unrelated CA for negative cases.
/// </summary>
internal sealed class TestPki
{
    private static readonly Lazy<TestPki> Shared = new(() => new TestPki());

    private TestPki()
    {
        (Authority, _authorityKey) = CreateAuthority("CN=tunneloperator-test-ca");
        (OtherAuthority, _) = CreateAuthority("CN=unrelated-ca");
        Server = CreateServer(Authority, _authorityKey);
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        RsaClient = CreateClient(rsa, "CN=admin-rsa, O=system:masters");
        EcClient = CreateClient(ec, "CN=admin-ec, O=system:masters");
        RsaClientPkcs1 = RsaClient with { KeyPem = rsa.ExportRSAPrivateKeyPem() };
        RsaClientPkcs8 = RsaClient with { KeyPem = rsa.ExportPkcs8PrivateKeyPem() };
        EcClientSec1 = EcClient with { KeyPem = ec.ExportECPrivateKeyPem() };
        EcClientPkcs8 = EcClient with { KeyPem = ec.ExportPkcs8PrivateKeyPem() };
    }

    private readonly ECDsa _authorityKey;

    public static TestPki Instance => Shared.Value;

    public X509Certificate2 Authority { get; }

    public X509Certificate2 OtherAuthority { get; }

    /// <summary>Server certificate with its key, for Kestrel.</summary>
    public X509Certificate2 Server { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public string OtherAuthorityPem => OtherAuthority.ExportCertificatePem();

    public ClientIdentity RsaClient { get; }

    public ClientIdentity RsaClientPkcs1 { get; }

    public ClientIdentity RsaClientPkcs8 { get; }

    public ClientIdentity EcClient { get; }

    public ClientIdentity EcClientSec1 { get; }

    public ClientIdentity EcClientPkcs8 { get; }

    /// <summary>Whether <paramref name="certificate"/> chains to the test CA and may authenticate a client.</summary>
    public bool IsTrustedClient(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    /// <summary>A certificate for the client key, signed by an authority the server does not trust.</summary>
    public ClientIdentity UntrustedClient()
    {
        var (other, otherKey) = CreateAuthority("CN=rogue-ca");
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=rogue", ec, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var signed = request.Create(other.SubjectName, X509SignatureGenerator.CreateForECDsa(otherKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), Serial());
        return new ClientIdentity(signed.ExportCertificatePem(), ec.ExportPkcs8PrivateKeyPem(), "CN=rogue");
    }

    private ClientIdentity CreateClient(AsymmetricAlgorithm key, string subject)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or EC", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var signed = request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_authorityKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), Serial());
        var keyPem = key switch
        {
            RSA rsa => rsa.ExportRSAPrivateKeyPem(),
            ECDsa ec => ec.ExportECPrivateKeyPem(),
            _ => throw new ArgumentException("RSA or EC", nameof(key)),
        };
        return new ClientIdentity(signed.ExportCertificatePem(), keyPem, subject);
    }

    private static (X509Certificate2 Certificate, ECDsa Key) CreateAuthority(string subject)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1)), key);
    }

    private static X509Certificate2 CreateServer(X509Certificate2 authority, ECDsa authorityKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(authority.SubjectName, X509SignatureGenerator.CreateForECDsa(authorityKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), Serial());
        using var withKey = signed.CopyWithPrivateKey(key);
        // Through PKCS#12 so the key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);
}
