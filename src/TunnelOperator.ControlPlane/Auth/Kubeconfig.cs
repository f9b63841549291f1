using System.Text;

namespace TunnelOperator.ControlPlane.Auth;

/// <summary>Writes the admin kubeconfig: cluster, user and context all named <c>tunneld-local</c>, file mode 0600.</summary>
internal static class Kubeconfig
{
    public const string Name = "tunneld-local";

    public static void Write(string path, Uri server, CertificateAuthority ca)
    {
        static string B64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        var text = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {{Name}}
              cluster:
                server: {{server.ToString().TrimEnd('/')}}
                certificate-authority-data: {{B64(ca.Certificate.ExportCertificatePem())}}
            users:
            - name: {{Name}}
              user:
                client-certificate-data: {{B64(ca.AdminCertificatePem)}}
                client-key-data: {{B64(ca.AdminKeyPem)}}
            contexts:
            - name: {{Name}}
              context:
                cluster: {{Name}}
                user: {{Name}}
            current-context: {{Name}}
            preferences: {}

            """;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        CertificateAuthority.WriteSecret(path, text);
    }
}
