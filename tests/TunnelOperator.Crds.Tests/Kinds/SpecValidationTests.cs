using System.Reflection;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Hives;
using TunnelOperator.Crds.PortForwards;
using TunnelOperator.Crds.Tunnels;

namespace TunnelOperator.Crds.Tests.Kinds;

/// <summary>
/// The C# twins of the CEL rules: the local control plane does not evaluate CEL, so the
/// operator runs these. Each violation carries the message of the rule it mirrors.
/// </summary>
public sealed class SpecValidationTests
{
    [Fact]
    public void ValidObjects_HaveNoViolations()
    {
        Assert.Empty(TestObjects.Tunnel().Spec.Validate());
        Assert.Empty(TestObjects.EdgeNode().Spec.Validate());
        Assert.Empty(TestObjects.TenantInvite().Spec.Validate());
        Assert.Empty(TestObjects.Hive().Spec.Validate());
        Assert.Empty(TestObjects.PortForward().Spec.Validate());
    }

    [Fact]
    public void Tunnel_WithBothTargets_ViolatesExactlyOne()
    {
        var spec = TestObjects.Tunnel(s => s with { Target = s.Target with { Url = "http://web:80" } }).Spec;
        Assert.Equal([new SpecViolation("spec.target", "exactly one of service or url must be set")], spec.Validate());
    }

    [Fact]
    public void Tunnel_WithNoTarget_ViolatesExactlyOne()
    {
        var spec = TestObjects.Tunnel(s => s with { Target = new() }).Spec;
        Assert.Equal([new SpecViolation("spec.target", "exactly one of service or url must be set")], spec.Validate());
    }

    [Theory]
    [InlineData(TunnelProtocol.Tcp, null, true)]
    [InlineData(TunnelProtocol.Udp, null, true)]
    [InlineData(TunnelProtocol.Http, 8080, true)]
    [InlineData(TunnelProtocol.Tcp, 2222, false)]
    [InlineData(TunnelProtocol.TlsPassthrough, null, false)]
    public void Tunnel_PublicPort_GoesWithTcpAndUdpOnly(TunnelProtocol protocol, int? publicPort, bool violates)
    {
        var spec = TestObjects.Tunnel(s => s with { Protocol = protocol, PublicPort = publicPort, Target = new() { Url = protocol == TunnelProtocol.Udp ? "udp://dns:53" : "tcp://db:5432" } }).Spec;
        Assert.Equal(violates, spec.Validate().Any(v => v.Field == "spec.publicPort"));
    }

    [Theory]
    [InlineData(TunnelProtocol.Udp, "udp://dns:53", false)]
    [InlineData(TunnelProtocol.Udp, "tcp://dns:53", true)]
    [InlineData(TunnelProtocol.Tcp, "udp://dns:53", true)]
    [InlineData(TunnelProtocol.Http, "http://web", false)]
    public void Tunnel_UdpUrl_GoesWithUdpProtocol(TunnelProtocol protocol, string url, bool violates)
    {
        var spec = TestObjects.Tunnel(s => s with { Protocol = protocol, Target = new() { Url = url }, PublicPort = protocol is TunnelProtocol.Tcp or TunnelProtocol.Udp ? 5353 : null }).Spec;
        Assert.Equal(violates, spec.Validate().Any(v => v.Field == "spec.target.url"));
    }

    [Fact]
    public void Tunnel_TakeoverWithoutName_IsViolation()
    {
        var spec = TestObjects.Tunnel(s => s with { Name = null, Takeover = true }).Spec;
        Assert.Equal([new SpecViolation("spec.takeover", "takeover needs a name: a random subdomain never collides")], spec.Validate());
    }

    [Fact]
    public void EdgeNode_ManyReplicasOnSqlite_IsViolation()
    {
        var spec = TestObjects.EdgeNode(s => s with { Store = new() }).Spec;
        Assert.Equal([new SpecViolation("spec.replicas", "more than one replica needs the postgres store")], spec.Validate());
    }

    [Fact]
    public void EdgeNode_PostgresWithoutUrl_AndTlsModesWithoutSettings_AreViolations()
    {
        var spec = TestObjects.EdgeNode(s => s with { Store = new() { Type = StoreType.Postgres }, Tls = new() { Mode = TlsMode.Secret } }).Spec;
        Assert.Equal(
            [new SpecViolation("spec.store.databaseUrlSecretRef", "the postgres store needs databaseUrlSecretRef"), new SpecViolation("spec.tls.secretName", "tls mode secret needs secretName")],
            spec.Validate());

        var acme = TestObjects.EdgeNode(s => s with { Tls = new() { Mode = TlsMode.Acme } }).Spec;
        Assert.Equal([new SpecViolation("spec.tls.acme", "tls mode acme needs acme")], acme.Validate());
    }

    [Fact]
    public void Hive_PostgresWithoutUrl_IsViolation()
    {
        var spec = TestObjects.Hive(s => s with { Store = new() { Type = StoreType.Postgres } }).Spec;
        Assert.Equal([new SpecViolation("spec.store.databaseUrlSecretRef", "the postgres store needs databaseUrlSecretRef")], spec.Validate());
    }

    [Fact]
    public void PortForward_TargetDestinations_AreChecked()
    {
        var spec = TestObjects.PortForward(s => s with
        {
            Targets =
            [
                new() { Name = "both", Host = "db", Port = 5432, Service = new() { Name = "db", Port = 5432 } },
                new() { Name = "neither" },
                new() { Name = "hostless-port", Service = new() { Name = "db", Port = 5432 }, Port = 5432 },
            ],
        }).Spec;

        Assert.Equal(
            [
                new SpecViolation("spec.targets[0]", "exactly one of host or service must be set"),
                new SpecViolation("spec.targets[1]", "exactly one of host or service must be set"),
                new SpecViolation("spec.targets[2].port", "port is required with host and not allowed with service (whose port is service.port)"),
            ],
            spec.Validate());
    }

    [Fact]
    public void EveryCelRule_HasItsMessageProducedByATwin()
    {
        // A rule whose message no C# check produces would go unenforced on our control plane.
        var produced = new[]
        {
            TestObjects.Tunnel(s => s with { Target = new() }).Spec.Validate(),
            TestObjects.Tunnel(s => s with { Protocol = TunnelProtocol.Tcp, Target = new() { Url = "udp://x" } }).Spec.Validate(),
            TestObjects.Tunnel(s => s with { Name = null }).Spec.Validate(),
            TestObjects.EdgeNode(s => s with { Store = new() { Type = StoreType.Postgres }, Tls = new() { Mode = TlsMode.Secret } }).Spec.Validate(),
            TestObjects.EdgeNode(s => s with { Replicas = 2, Store = new(), Tls = new() { Mode = TlsMode.Acme } }).Spec.Validate(),
            TestObjects.PortForward(s => s with { Targets = [new() { Name = "x", Port = 1 }] }).Spec.Validate(),
        }.SelectMany(v => v).Select(v => v.Message).ToHashSet();

        var declared = typeof(CrdManifests).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<CelRuleAttribute>().Concat(t.GetProperties().SelectMany(p => p.GetCustomAttributes<CelRuleAttribute>())))
            .Select(r => r.Message)
            .ToList();

        Assert.NotEmpty(declared);
        Assert.All(declared, message => Assert.Contains(message, produced));
    }
}
