using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.Operator.EdgeNodes;

/// <summary>
/// An edge's CA as PEM, generated once by the operator and kept in the <c>e-ca</c> Secret: every edge
/// replica issues its certificates from it (<c>--tls-ca-cert</c>/<c>--tls-ca-key</c>) and every agent
/// trusts it (<c>--ca-cert</c>).
/// </summary>
internal sealed record EdgeCaMaterial(string CertificatePem, string KeyPem)
{
    /// <summary>A new ECDSA P-256 CA valid for ten years, named after the edge.</summary>
    public static EdgeCaMaterial Generate(string edgeNamespace, string edgeName, TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("TunnelOperator");
        subject.AddCommonName($"TunnelOperator edge CA {edgeNamespace}/{edgeName}".Length > 64 ? "TunnelOperator edge CA" : $"TunnelOperator edge CA {edgeNamespace}/{edgeName}");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return new EdgeCaMaterial(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>The CA in a Secret's data, if both halves are there and parse as a certificate with its key.</summary>
    public static EdgeCaMaterial? From(IReadOnlyDictionary<string, byte[]>? data)
    {
        if (data?.GetValueOrDefault(EdgeNodeChildren.CaCertificateKey) is not { Length: > 0 } cert
            || data.GetValueOrDefault(EdgeNodeChildren.CaKeyKey) is not { Length: > 0 } keyBytes)
        {
            return null;
        }

        var material = new EdgeCaMaterial(System.Text.Encoding.UTF8.GetString(cert), System.Text.Encoding.UTF8.GetString(keyBytes));
        try
        {
            using var pair = X509Certificate2.CreateFromPem(material.CertificatePem, material.KeyPem);
            return pair.HasPrivateKey ? material : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
