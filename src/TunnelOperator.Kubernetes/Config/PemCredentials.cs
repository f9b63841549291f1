using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TunnelOperator.Kubernetes.Config;

/// <summary>
/// PEM material from kubeconfig fields: <c>*-data</c> fields hold base64 of the PEM text, the
/// others name a file. Errors name the file and field and never quote the material.
/// </summary>
internal static class PemCredentials
{
    /// <summary>The text of a <c>*-data</c> field (base64) or of the file a path field names.</summary>
    public static string ReadPem(string kubeconfigFile, string field, string? data, string? filePath)
    {
        if (data is not null)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data.Trim()));
            }
            catch (FormatException)
            {
                throw new KubeconfigException(kubeconfigFile, field + "-data", "not valid base64");
            }
        }

        return ReadFile(kubeconfigFile, field, filePath!);
    }

    public static string ReadFile(string kubeconfigFile, string field, string filePath)
    {
        try
        {
            return File.ReadAllText(filePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException(kubeconfigFile, field, $"cannot read '{filePath}': {e.GetType().Name}", e);
        }
    }

    public static X509Certificate2Collection Certificates(string pem, string kubeconfigFile, string field)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubeconfigException(kubeconfigFile, field, "not a PEM certificate", e);
        }

        return certificates.Count > 0 ? certificates : throw new KubeconfigException(kubeconfigFile, field, "contains no PEM certificate");
    }

    /// <summary>
    /// The client certificate with its private key (RSA or EC; PKCS#1, SEC 1 or PKCS#8), and any
    /// further certificates in the certificate PEM as the chain to present.
    /// </summary>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Chain) ClientCertificate(
        string certificatePem, string keyPem, string kubeconfigFile, string certificateField, string keyField)
    {
        var all = Certificates(certificatePem, kubeconfigFile, certificateField);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The exception text from the crypto layer never echoes key material, but keep ours generic anyway.
            throw new KubeconfigException(kubeconfigFile, keyField, $"no usable private key for the certificate in {certificateField} (PEM RSA/EC key expected, matching the certificate)", e);
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use an ephemeral key for client authentication; a PKCS#12 round trip persists it.
            using var ephemeral = certificate;
            certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }

        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        all[0].Dispose();
        return (certificate, chain);
    }
}
