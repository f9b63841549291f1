using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.Edge.Tls;

/// <summary>
/// The certificates the edge serves. Either an operator-supplied PEM pair, or a local CA that
/// the edge generates once into its data directory (<c>ca.crt</c>, <c>ca.key</c>) plus a
/// wildcard certificate for the base host. Because a wildcard over a single-label base host
/// such as <c>localhost</c> is rejected by TLS clients, leaf certificates for exact names are
/// also minted from the generated CA on demand, keyed by SNI.
/// </summary>
public sealed class EdgeCertificates : IDisposable
{
    private readonly X509Certificate2? _ca;
    private readonly X509Certificate2 _default;
    private readonly ConcurrentDictionary<string, X509Certificate2> _minted = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _baseHost;

    private EdgeCertificates(X509Certificate2? ca, X509Certificate2 defaultCertificate, string baseHost)
    {
        _ca = ca;
        _default = defaultCertificate;
        _baseHost = baseHost;
    }

    /// <summary>Path of the CA certificate clients should trust, when the CA is generated.</summary>
    public string? CaCertificatePath { get; private init; }

    public X509Certificate2 DefaultCertificate => _default;

    /// <summary>More names the generated CA issues for (live terminate-mode tenant hostnames).</summary>
    public Func<string, bool>? ExtraNames { get; set; }

    public static EdgeCertificates Load(EdgeOptions options)
    {
        if (options.TlsCertificatePath is not null)
        {
            if (options.TlsKeyPath is null)
            {
                throw new InvalidOperationException("--tls-cert was given without --tls-key: pass both, or neither to use a generated CA");
            }

            var pair = X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
            return new EdgeCertificates(null, Exportable(pair), options.BaseHost);
        }

        Directory.CreateDirectory(options.DataDirectory);
        var caCertPath = Path.Combine(options.DataDirectory, "ca.crt");
        var caKeyPath = Path.Combine(options.DataDirectory, "ca.key");
        X509Certificate2 ca;
        if (File.Exists(caCertPath) && File.Exists(caKeyPath))
        {
            ca = X509Certificate2.CreateFromPemFile(caCertPath, caKeyPath);
        }
        else
        {
            ca = CreateCertificateAuthority();
            File.WriteAllText(caCertPath, ca.ExportCertificatePem());
            WritePrivate(caKeyPath, ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        var wildcard = Issue(ca, [$"*.{options.BaseHost}", options.BaseHost]);
        File.WriteAllText(Path.Combine(options.DataDirectory, "wildcard.crt"), wildcard.ExportCertificatePem());
        WritePrivate(Path.Combine(options.DataDirectory, "wildcard.key"), wildcard.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return new EdgeCertificates(ca, wildcard, options.BaseHost) { CaCertificatePath = caCertPath };
    }

    /// <summary>Picks the certificate for a TLS handshake with the given SNI (may be null).</summary>
    public X509Certificate2 Select(string? serverName)
    {
        if (_ca is null || string.IsNullOrEmpty(serverName) || !(IsServedName(serverName) || ExtraNames?.Invoke(serverName) == true))
        {
            return _default;
        }

        return _minted.GetOrAdd(serverName.ToLowerInvariant(), name => Issue(_ca, [name]));
    }

    private bool IsServedName(string name) =>
        name.Equals(_baseHost, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("." + _baseHost, StringComparison.OrdinalIgnoreCase)
        || name.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    private static X509Certificate2 CreateCertificateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=TunnelOperator local CA, O=TunnelOperator", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return Exportable(request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10)));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, IReadOnlyList<string> names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        if (names.Any(n => n.Equals("localhost", StringComparison.OrdinalIgnoreCase)))
        {
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(397), serial);
        return Exportable(issued.CopyWithPrivateKey(key));
    }

    // SslStream on Linux needs a certificate whose key is usable for the handshake; a PFX
    // round trip gives an object that owns its key independently of the ephemeral ECDsa.
    private static X509Certificate2 Exportable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private static void WritePrivate(string path, string contents)
    {
        File.WriteAllText(path, contents);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public void Dispose()
    {
        _ca?.Dispose();
        _default.Dispose();
        foreach (var certificate in _minted.Values)
        {
            certificate.Dispose();
        }
    }
}
