using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.ControlPlane.Auth;

/// <summary>
/// The control plane's PKI, kept in the data directory: a CA created on first start and reused after,
/// a serving certificate for 127.0.0.1/localhost/::1, and the admin client certificate
/// (CN=tunneld-admin, O=system:masters, as kubeadm's admin.conf). ECDSA P-256 throughout.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private static readonly object Verified = new();

    // Client certificates whose chain to this CA was built (weakly held: an entry goes with its connection).
    private readonly ConditionalWeakTable<X509Certificate2, object> _verified = [];

    private CertificateAuthority(X509Certificate2 ca, X509Certificate2 serving, X509Certificate2 admin, string caPath, string adminCertPem, string adminKeyPem)
    {
        Certificate = ca;
        Serving = serving;
        Admin = admin;
        CertificatePath = caPath;
        AdminCertificatePem = adminCertPem;
        AdminKeyPem = adminKeyPem;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 Serving { get; }

    public X509Certificate2 Admin { get; }

    public string CertificatePath { get; }

    public string AdminCertificatePem { get; }

    public string AdminKeyPem { get; }

    /// <param name="serviceIp">The <c>kubernetes</c> Service's clusterIP, a name of the serving certificate as kube-apiserver's is.</param>
    public static CertificateAuthority LoadOrCreate(string directory, TimeProvider time, IPAddress? serviceIp = null)
    {
        var pki = Path.Combine(directory, "pki");
        Directory.CreateDirectory(pki);
        var now = time.GetUtcNow();
        var caCert = Path.Combine(pki, "ca.crt");
        var caKey = Path.Combine(pki, "ca.key");
        X509Certificate2 ca;
        if (File.Exists(caCert) && File.Exists(caKey))
        {
            ca = X509Certificate2.CreateFromPemFile(caCert, caKey);
        }
        else
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=tunneld-local-ca", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
            WriteSecret(caKey, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(caCert, ca.ExportCertificatePem());
        }

        // Leaf certificates are re-issued on every start: cheap, and never stale for a changed CA.
        var serving = Issue(ca, "CN=tunneld-local-apiserver", now, server: true, serviceIp);
        var (admin, adminCertPem, adminKeyPem) = IssueWithPem(ca, "CN=tunneld-admin, O=system:masters", now, server: false);
        WriteSecret(Path.Combine(pki, "admin.key"), adminKeyPem);
        File.WriteAllText(Path.Combine(pki, "admin.crt"), adminCertPem);
        return new CertificateAuthority(ca, serving, admin, caCert, adminCertPem, adminKeyPem);
    }

    /// <summary>A client certificate for another identity (tests, later components): CN is the user, each O a group.</summary>
    public X509Certificate2 IssueClient(string user, IEnumerable<string> groups, TimeProvider time)
    {
        var subject = "CN=" + user + string.Concat(groups.Select(g => ", O=" + g));
        return IssueWithPem(Certificate, subject, time.GetUtcNow(), server: false).Certificate;
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, DateTimeOffset now, bool server, IPAddress? serviceIp = null)
    {
        var (cert, _, _) = IssueWithPem(ca, subject, now, server, serviceIp);
        return cert;
    }

    private static (X509Certificate2 Certificate, string CertPem, string KeyPem) IssueWithPem(X509Certificate2 ca, string subject, DateTimeOffset now, bool server, IPAddress? serviceIp = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
            if (serviceIp is not null)
            {
                // What in-cluster clients dial: the kubernetes Service by IP or by name.
                san.AddIpAddress(serviceIp);
                foreach (var name in new[] { "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" })
                {
                    san.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddYears(1), serial);
        var withKey = issued.CopyWithPrivateKey(key);
        return (withKey, withKey.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Private keys are written owner-only (0600).</summary>
    internal static void WriteSecret(string path, string content)
    {
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(path, content);
            return;
        }

        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(content);
        writer.Flush();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Whether a presented client certificate was issued by this CA (and is in its validity window).</summary>
    /// <remarks>
    /// Kestrel hands every request of a TLS connection the same certificate object, so a chain that was built
    /// once for it is remembered: later requests only check that the certificate and the CA are still within
    /// their validity windows (revocation is not checked, so nothing else about the chain can change).
    /// Building an X.509 chain per request cost several percent of the control plane's CPU under load.
    /// </remarks>
    public bool Issued(X509Certificate2 client, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_verified.TryGetValue(client, out _))
        {
            if (Within(client, now) && Within(Certificate, now))
            {
                return true;
            }

            _verified.Remove(client);
        }

        if (!BuildChain(client, now))
        {
            return false;
        }

        _verified.AddOrUpdate(client, Verified);
        return true;
    }

    private static bool Within(X509Certificate2 certificate, DateTime utcNow) =>
        certificate.NotBefore.ToUniversalTime() <= utcNow && utcNow <= certificate.NotAfter.ToUniversalTime();

    private bool BuildChain(X509Certificate2 client, DateTime utcNow)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = utcNow;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(client);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Serving.Dispose();
        Admin.Dispose();
    }
}
