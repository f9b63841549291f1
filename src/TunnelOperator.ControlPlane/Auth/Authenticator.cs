using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace TunnelOperator.ControlPlane.Auth;

/// <summary>
/// Request authentication as kube-apiserver's union authenticator: an x509 client certificate signed by
/// our CA (user = CN, groups = O), else a bearer token from the static token file. Nothing else.
/// </summary>
internal sealed class Authenticator
{
    private readonly CertificateAuthority _ca;
    private readonly TokenFile _tokens;
    private readonly TimeProvider _time;

    public Authenticator(CertificateAuthority ca, TokenFile tokens, TimeProvider time)
    {
        _ca = ca;
        _tokens = tokens;
        _time = time;
    }

    public UserInfo? Authenticate(HttpContext context)
    {
        if (context.Connection.ClientCertificate is { } cert && _ca.Issued(cert, _time))
        {
            return FromCertificate(cert);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            if (token.Length > 0)
            {
                return _tokens.Lookup(token);
            }
        }

        return null;
    }

    private static UserInfo FromCertificate(X509Certificate2 cert)
    {
        var name = "";
        var groups = new List<string>();
        foreach (var rdn in cert.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var oid = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue() ?? "";
            if (oid == "2.5.4.3")
            {
                name = value;
            }
            else if (oid == "2.5.4.10")
            {
                groups.Add(value);
            }
        }

        groups.Add("system:authenticated");
        return new UserInfo(name, "", groups);
    }
}
