using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TunnelOperator.ControlPlane.Auth;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>Client certificate checks, which remember a verified certificate object but not past its validity.</summary>
public sealed class CertificateAuthorityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ca-tests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Issued_OurClientCertificate_EveryTime_AndNotAStrangers()
    {
        using var ca = CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System);
        using var stranger = SelfSigned();

        Assert.True(ca.Issued(ca.Admin, TimeProvider.System));
        Assert.True(ca.Issued(ca.Admin, TimeProvider.System)); // remembered
        Assert.False(ca.Issued(stranger, TimeProvider.System));
        Assert.False(ca.Issued(stranger, TimeProvider.System));
    }

    [Fact]
    public void Issued_ARememberedCertificate_NoLongerOnceItExpired()
    {
        using var ca = CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System);
        Assert.True(ca.Issued(ca.Admin, TimeProvider.System));

        var later = new FixedTime(ca.Admin.NotAfter.ToUniversalTime().AddDays(1));
        Assert.False(ca.Issued(ca.Admin, later));
        Assert.True(ca.Issued(ca.Admin, TimeProvider.System));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stranger,O=system:masters", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
