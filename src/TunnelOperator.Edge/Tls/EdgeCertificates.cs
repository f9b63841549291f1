using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.Edge.Tls;

/// <summary>
/// The certificates the edge serves. Either an operator-supplied PEM pair, or a CA plus a wildcard
/// certificate for the base host issued from it. The CA is given (<c>--tls-ca-cert</c>/<c>--tls-ca-key</c>,
/// shared by every replica and trusted by every agent) or generated once into the data directory
/// (<c>ca.crt</c>, <c>ca.key</c>). Because a wildcard over a single-label base host such as
/// <c>localhost</c> is rejected by TLS clients, leaf certificates for exact names are also minted from
/// the CA on demand, keyed by SNI, but only for names the edge serves: the base host, one label under
/// it, <c>localhost</c>, the <c>--tls-names</c> (e.g. the Service names agents dial in a cluster) and
/// live terminate-mode hostnames; never for an arbitrary SNI. With a supplied pair and a CA, only the
/// <c>--tls-names</c> and those hostnames are minted. The cache of minted certificates is bounded.
/// </summary>
public sealed class EdgeCertificates : IDisposable
{
    /// <summary>Minted certificates kept by default; beyond this the cache starts over (a name is minted again on its next handshake).</summary>
    internal const int MaxMinted = 1024;

    private readonly X509Certificate2? _ca;
    private readonly X509Certificate2 _default;
    private readonly ConcurrentDictionary<string, X509Certificate2> _minted = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _baseHost;
    private readonly bool _servesBaseHostFromCa;
    private readonly HashSet<string> _names;

    private EdgeCertificates(X509Certificate2? ca, X509Certificate2 defaultCertificate, string baseHost, bool servesBaseHostFromCa, IEnumerable<string> names)
    {
        _ca = ca;
        _default = defaultCertificate;
        _baseHost = baseHost;
        _servesBaseHostFromCa = servesBaseHostFromCa;
        _names = new HashSet<string>(names.Select(n => n.Trim().TrimEnd('.')).Where(n => n.Length > 0), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Path of the CA certificate clients should trust, when the CA is generated.</summary>
    public string? CaCertificatePath { get; private init; }

    public X509Certificate2 DefaultCertificate => _default;

    /// <summary>More names the generated CA issues for (live terminate-mode tenant hostnames).</summary>
    public Func<string, bool>? ExtraNames { get; set; }

    public static EdgeCertificates Load(EdgeOptions options)
    {
        if ((options.TlsCaCertificatePath is null) != (options.TlsCaKeyPath is null))
        {
            throw new InvalidOperationException("--tls-ca-cert and --tls-ca-key go together: pass both, or neither to generate a CA");
        }

        var givenCa = options.TlsCaCertificatePath is null ? null : Exportable(X509Certificate2.CreateFromPemFile(options.TlsCaCertificatePath, options.TlsCaKeyPath));
        if (options.TlsCertificatePath is not null)
        {
            if (options.TlsKeyPath is null)
            {
                throw new InvalidOperationException("--tls-cert was given without --tls-key: pass both, or neither to use a generated CA");
            }

            var pair = X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
            return new EdgeCertificates(givenCa, Exportable(pair), options.BaseHost, servesBaseHostFromCa: false, options.TlsNames)
            {
                CaCertificatePath = options.TlsCaCertificatePath,
            };
        }

        Directory.CreateDirectory(options.DataDirectory);
        var caCertPath = options.TlsCaCertificatePath ?? Path.Combine(options.DataDirectory, "ca.crt");
        X509Certificate2 ca;
        if (givenCa is not null)
        {
            ca = givenCa;
        }
        else
        {
            var caKeyPath = Path.Combine(options.DataDirectory, "ca.key");
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
        }

        var wildcard = Issue(ca, [$"*.{options.BaseHost}", options.BaseHost]);
        File.WriteAllText(Path.Combine(options.DataDirectory, "wildcard.crt"), wildcard.ExportCertificatePem());
        WritePrivate(Path.Combine(options.DataDirectory, "wildcard.key"), wildcard.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return new EdgeCertificates(ca, wildcard, options.BaseHost, servesBaseHostFromCa: true, options.TlsNames) { CaCertificatePath = caCertPath };
    }

    /// <summary>Minted certificates held right now (bounded by <see cref="MintLimit"/>).</summary>
    internal int MintedCount => _minted.Count;

    /// <summary>The bound of the minted cache (tests lower it).</summary>
    internal int MintLimit { get; set; } = MaxMinted;

    /// <summary>Picks the certificate for a TLS handshake with the given SNI (may be null).</summary>
    public X509Certificate2 Select(string? serverName)
    {
        if (_ca is null || string.IsNullOrEmpty(serverName) || !IsMintable(serverName))
        {
            return _default;
        }

        var key = serverName.ToLowerInvariant();
        if (_minted.TryGetValue(key, out var minted))
        {
            return minted;
        }

        if (_minted.Count >= MintLimit)
        {
            // Not disposed: a handshake may be using one right now; the GC reclaims them.
            _minted.Clear();
        }

        return _minted.GetOrAdd(key, name => Issue(_ca, [name]));
    }

    private bool IsMintable(string name) =>
        _names.Contains(name)
        || (_servesBaseHostFromCa && IsServedName(name))
        || (ExtraNames?.Invoke(name) == true && IsDnsName(name));

    // The base host, one label under it (what HostRouting routes) and localhost.
    private bool IsServedName(string name)
    {
        if (name.Equals(_baseHost, StringComparison.OrdinalIgnoreCase) || name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var label = name.Length > _baseHost.Length + 1 && name.EndsWith("." + _baseHost, StringComparison.OrdinalIgnoreCase)
            ? name[..^(_baseHost.Length + 1)]
            : null;
        return label is { Length: <= 63 } && IsDnsLabel(label);
    }

    private static bool IsDnsName(string name) =>
        name.Length <= 253 && name.Split('.').All(l => l.Length <= 63 && (IsDnsLabel(l) || l == "*"));

    private static bool IsDnsLabel(string label) =>
        label.Length > 0 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

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
        // Never past the CA's own expiry (a given CA may be shorter-lived than a leaf's 397 days).
        var notAfter = new DateTimeOffset(Math.Min(now.AddDays(397).UtcTicks, ca.NotAfter.ToUniversalTime().Ticks), TimeSpan.Zero);
        using var issued = request.Create(ca, now.AddDays(-1), notAfter, serial);
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
