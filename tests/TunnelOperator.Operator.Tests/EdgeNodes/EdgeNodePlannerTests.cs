using System.Text;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.EdgeNodes;
using TunnelOperator.Operator.Tests.Support;

namespace TunnelOperator.Operator.Tests.EdgeNodes;

public sealed class EdgeNodePlannerTests
{
    private const string Image = "ghcr.io/tunneloperator/tunneloperator:1.2.3";

    [Fact]
    public void Deployment_RunsTunneldServeWithTheSpecOnThePodIp()
    {
        var edge = TestObjects.Edge(spec: s => s with
        {
            Ports = new EdgePorts { Http = 8000, Https = 8443, Control = 7000, Admin = 9000 },
            MaxConcurrentRequests = 64,
            MaxRequestBodyBytes = 1_000_000,
        });

        var deployment = EdgeNodePlanner.Deployment(edge, Image);

        var container = Assert.Single(deployment.Spec!.Template!.Spec!.Containers!);
        Assert.Equal(["tunneld"], container.Command);
        Assert.Equal(Image, container.Image);
        var args = container.Args!;
        Assert.Equal("serve", args[0]);
        Assert.Equal("tunnels.example.com", Flag(args, "--base-host"));
        Assert.Equal("$(POD_IP):8000", Flag(args, "--http-addr"));
        Assert.Equal("$(POD_IP):8443", Flag(args, "--https-addr"));
        Assert.Equal("$(POD_IP):7000", Flag(args, "--control-addr"));
        Assert.Equal("$(POD_IP):9000", Flag(args, "--admin-addr"));
        Assert.Equal("8443", Flag(args, "--public-port"));
        Assert.Equal("64", Flag(args, "--max-concurrent"));
        Assert.Equal("1000000", Flag(args, "--max-request-body-bytes"));
        Assert.Equal(EdgeNodePlanner.DataDirectory, Flag(args, "--data-dir"));
        Assert.Equal("/etc/tunneld/ca/ca.crt", Flag(args, "--tls-ca-cert"));
        Assert.Equal("/etc/tunneld/ca/ca.key", Flag(args, "--tls-ca-key"));
        Assert.Equal("edge.shop.svc.cluster.local,edge.shop.svc,edge.shop,edge", Flag(args, "--tls-names"));
        Assert.DoesNotContain("--tls-cert", args);
        Assert.Equal("status.podIP", container.Env!.Single(e => e.Name == "POD_IP").ValueFrom!.FieldRef!.FieldPath);
        var admin = container.Env!.Single(e => e.Name == "TUNNELD_ADMIN_TOKEN").ValueFrom!.SecretKeyRef!;
        Assert.Equal(("edge-admin-token", "token"), (admin.Name, admin.Key));
        Assert.DoesNotContain(container.Env!, e => e.Name == "TUNNELD_DATABASE_URL");
        Assert.Equal("/readyz", container.ReadinessProbe!.HttpGet!.Path);
        Assert.Equal(9000, container.ReadinessProbe.HttpGet.Port!.Value.IntValue);
        Assert.Equal("/healthz", container.LivenessProbe!.HttpGet!.Path);
        Assert.Equal(["http", "https", "control", "admin"], container.Ports!.Select(p => p.Name));
        Assert.NotNull(container.Resources!.Requests);
        Assert.False(deployment.Spec.Template.Spec.EnableServiceLinks);
    }

    [Fact]
    public void Deployment_SqliteLivesInAnEmptyDirAndRollsByRecreate()
    {
        var deployment = EdgeNodePlanner.Deployment(TestObjects.Edge(), Image);

        var pod = deployment.Spec!.Template!.Spec!;
        Assert.NotNull(pod.Volumes!.Single(v => v.Name == "data").EmptyDir);
        Assert.Equal("edge-ca", pod.Volumes!.Single(v => v.Name == "ca").Secret!.SecretName);
        Assert.Equal(EdgeNodePlanner.DataDirectory, pod.Containers![0].VolumeMounts!.Single(m => m.Name == "data").MountPath);
        Assert.Equal("Recreate", deployment.Spec.Strategy!.Type);
        Assert.Equal(1, deployment.Spec.Replicas);
    }

    [Fact]
    public void Deployment_PostgresTakesItsUrlFromTheSecretAndScales()
    {
        var edge = TestObjects.Edge(spec: s => s with
        {
            Replicas = 3,
            Store = new StoreSpec { Type = StoreType.Postgres, DatabaseUrlSecretRef = new SecretKeyReference { Name = "db", Key = "url" } },
        });

        var deployment = EdgeNodePlanner.Deployment(edge, Image);

        var database = deployment.Spec!.Template!.Spec!.Containers![0].Env!.Single(e => e.Name == "TUNNELD_DATABASE_URL").ValueFrom!.SecretKeyRef!;
        Assert.Equal(("db", "url"), (database.Name, database.Key));
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Null(deployment.Spec.Strategy);
        Assert.Null(EdgeNodePlanner.Refusal(edge.Spec));
    }

    [Fact]
    public void Deployment_SecretModeServesTheGivenCertificateAndAnImageOverride()
    {
        var edge = TestObjects.Edge(spec: s => s with { Tls = new EdgeTlsSpec { Mode = TlsMode.Secret, SecretName = "wildcard" }, Image = "registry.local/tunneld:dev" });

        var deployment = EdgeNodePlanner.Deployment(edge, Image);

        var pod = deployment.Spec!.Template!.Spec!;
        var args = pod.Containers![0].Args!;
        Assert.Equal("/etc/tunneld/tls/tls.crt", Flag(args, "--tls-cert"));
        Assert.Equal("/etc/tunneld/tls/tls.key", Flag(args, "--tls-key"));
        Assert.Equal("wildcard", pod.Volumes!.Single(v => v.Name == "tls").Secret!.SecretName);
        Assert.Equal("registry.local/tunneld:dev", pod.Containers[0].Image);
    }

    [Fact]
    public void Children_AreControlledByTheEdgeAndSelectItsPods()
    {
        var edge = TestObjects.Edge();
        var deployment = EdgeNodePlanner.Deployment(edge, Image);
        var service = EdgeNodePlanner.PublicService(edge);
        var admin = EdgeNodePlanner.AdminService(edge);
        var secret = EdgeNodePlanner.AdminTokenSecret(edge, "0123456789abcdef0123456789abcdef");

        foreach (var meta in new[] { deployment.Metadata, service.Metadata, admin.Metadata, secret.Metadata })
        {
            var owner = Assert.Single(meta.OwnerReferences!);
            Assert.Equal((TestObjects.EdgeUid, "EdgeNode", true), (owner.Uid, owner.Kind, owner.Controller));
            Assert.Equal("shop", meta.Namespace);
            Assert.Equal("tunneloperator", meta.Labels!["app.kubernetes.io/managed-by"]);
        }

        Assert.Equal(deployment.Spec!.Selector!.MatchLabels, service.Spec!.Selector);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, admin.Spec!.Selector);
        Assert.All(deployment.Spec.Selector.MatchLabels!, l => Assert.Equal(l.Value, deployment.Spec.Template!.Metadata!.Labels![l.Key]));
        Assert.Equal(("edge-edge", "edge", "edge-admin", "edge-admin-token"), (deployment.Metadata.Name, service.Metadata.Name, admin.Metadata.Name, secret.Metadata.Name));
    }

    [Theory]
    [InlineData(ServiceType.LoadBalancer, "LoadBalancer")]
    [InlineData(ServiceType.NodePort, "NodePort")]
    [InlineData(ServiceType.ClusterIP, "ClusterIP")]
    public void PublicService_HasTheSpecsTypeAndHttpHttpsControlButNeverAdmin(ServiceType type, string expected)
    {
        var edge = TestObjects.Edge(spec: s => s with { Service = new EdgeServiceSpec { Type = type, Annotations = new Dictionary<string, string> { ["lb"] = "internal" } } });

        var service = EdgeNodePlanner.PublicService(edge);

        Assert.Equal(expected, service.Spec!.Type);
        Assert.Equal([("http", 80), ("https", 443), ("control", 7777)], service.Spec.Ports!.Select(p => (p.Name!, p.Port)));
        Assert.Equal("internal", service.Metadata.Annotations!["lb"]);
    }

    [Fact]
    public void AdminService_IsClusterIpWithTheAdminPortOnly()
    {
        var service = EdgeNodePlanner.AdminService(TestObjects.Edge(spec: s => s with { Service = new EdgeServiceSpec { Type = ServiceType.LoadBalancer } }));

        Assert.Equal("ClusterIP", service.Spec!.Type);
        var port = Assert.Single(service.Spec.Ports!);
        Assert.Equal(("admin", 9090), (port.Name, port.Port));
    }

    [Fact]
    public void Secrets_CarryTheValuesGivenSoAGeneratedOneIsKept()
    {
        var edge = TestObjects.Edge();
        var token = "f00dfeedf00dfeedf00dfeedf00dfeed";
        var secret = EdgeNodePlanner.AdminTokenSecret(edge, token);
        var ca = EdgeCaMaterial.Generate("shop", "edge", TimeProvider.System);
        var caSecret = EdgeNodePlanner.CaSecret(edge, ca);

        Assert.Equal(token, EdgeNodePlanner.AdminTokenOf(secret));
        Assert.Null(EdgeNodePlanner.AdminTokenOf(null));
        Assert.Null(EdgeNodePlanner.AdminTokenOf(secret with { Data = new Dictionary<string, byte[]> { ["token"] = "short"u8.ToArray() } }));
        Assert.Equal(ca, EdgeCaMaterial.From(caSecret.Data));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", Encoding.UTF8.GetString(caSecret.Data!["ca.crt"]));
        Assert.Null(EdgeCaMaterial.From(new Dictionary<string, byte[]> { ["ca.crt"] = caSecret.Data!["ca.crt"] }));
    }

    public static TheoryData<string, EdgeNodeSpec, string?> Refusals => new()
    {
        { "one sqlite replica", new EdgeNodeSpec { BaseHost = "t.example.com" }, null },
        { "no replica", new EdgeNodeSpec { BaseHost = "t.example.com", Replicas = 0 }, null },
        { "two sqlite replicas", new EdgeNodeSpec { BaseHost = "t.example.com", Replicas = 2 }, EdgeNodeReasons.ReplicasNeedPostgres },
        { "postgres without url", new EdgeNodeSpec { BaseHost = "t.example.com", Store = new StoreSpec { Type = StoreType.Postgres } }, EdgeNodeReasons.InvalidSpec },
        { "secret mode without secret", new EdgeNodeSpec { BaseHost = "t.example.com", Tls = new EdgeTlsSpec { Mode = TlsMode.Secret } }, EdgeNodeReasons.InvalidSpec },
        { "acme", new EdgeNodeSpec { BaseHost = "t.example.com", Tls = new EdgeTlsSpec { Mode = TlsMode.Acme, Acme = new AcmeSpec { Email = "ops@example.com" } } }, EdgeNodeReasons.UnsupportedTlsMode },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusal_NamesWhatTheOperatorWillNotRun(string _, EdgeNodeSpec spec, string? reason)
    {
        var refusal = EdgeNodePlanner.Refusal(spec);

        Assert.Equal(reason, refusal?.Reason);
        if (reason == EdgeNodeReasons.ReplicasNeedPostgres)
        {
            Assert.Contains("postgres", refusal!.Value.Message, StringComparison.Ordinal);
        }
    }

    private static string Flag(IReadOnlyList<string> args, string flag)
    {
        var index = args.ToList().IndexOf(flag);
        Assert.True(index >= 0 && index + 1 < args.Count, $"{flag} is not in {string.Join(' ', args)}");
        return args[index + 1];
    }
}
