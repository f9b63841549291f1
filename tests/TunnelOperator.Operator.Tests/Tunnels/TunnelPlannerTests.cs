using System.Text;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Operator.Tests.Support;
using TunnelOperator.Operator.Tunnels;

namespace TunnelOperator.Operator.Tests.Tunnels;

public sealed class TunnelPlannerTests
{
    private static readonly Guid TokenId = Guid.Parse("01a20e32-1ba7-7582-abcd-0b79c5617659");
    private static readonly byte[] Ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"u8.ToArray();

    [Fact]
    public void TokenSecret_HoldsTheTokenAndCaAndNamesTheTokenOnlyById()
    {
        var token = new TunnelToken(TokenId, "s3cret-token-plaintext", new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

        var secret = TunnelPlanner.TokenSecret(TestObjects.Tunnel(), TestObjects.Edge(), token, Ca);

        Assert.Equal("web-tunnel-token", secret.Metadata.Name);
        Assert.Equal("s3cret-token-plaintext", Encoding.UTF8.GetString(secret.Data!["token"]));
        Assert.Equal(Ca, secret.Data["ca.crt"]);
        Assert.Equal(TokenId.ToString(), secret.Metadata.Annotations!["tunneloperator.io/token-id"]);
        Assert.Equal(TestObjects.EdgeUid, secret.Metadata.Annotations["tunneloperator.io/edge-uid"]);
        Assert.DoesNotContain(secret.Metadata.Annotations.Values, v => v.Contains("s3cret", StringComparison.Ordinal));
        var owner = Assert.Single(secret.Metadata.OwnerReferences!);
        Assert.Equal((TestObjects.TunnelUid, "Tunnel", true), (owner.Uid, owner.Kind, owner.Controller));
        Assert.Equal(token, TunnelPlanner.TokenOf(secret, TestObjects.Edge()));
    }

    [Fact]
    public void TokenOf_ATokenFromAnEarlierEdgeOfThatNameIsNoToken()
    {
        var secret = TunnelPlanner.TokenSecret(TestObjects.Tunnel(), TestObjects.Edge(), new TunnelToken(TokenId, "t", DateTimeOffset.UnixEpoch), Ca);
        var recreated = TestObjects.Edge() with { Metadata = TestObjects.Edge().Metadata with { Uid = Guid.NewGuid().ToString() } };

        Assert.Null(TunnelPlanner.TokenOf(secret, recreated));
        Assert.Null(TunnelPlanner.TokenOf(null, TestObjects.Edge()));
        Assert.Null(TunnelPlanner.TokenOf(secret with { Metadata = secret.Metadata with { Annotations = null } }, TestObjects.Edge()));
    }

    [Fact]
    public void AgentDeployment_RunsTunnelctlAgainstTheEdgeServiceWithTheTokenFromTheSecret()
    {
        var tunnel = TestObjects.Tunnel(spec: s => s with { Takeover = true, Agent = new TunnelAgentSpec { Replicas = 2 } });

        var deployment = TunnelPlanner.AgentDeployment(tunnel, TestObjects.Edge(), "http://web.shop.svc.cluster.local:80", TokenId, "img:1");

        Assert.Equal("web-agent", deployment.Metadata.Name);
        Assert.Equal(2, deployment.Spec!.Replicas);
        var pod = deployment.Spec.Template!;
        var container = Assert.Single(pod.Spec!.Containers!);
        Assert.Equal(["tunnelctl"], container.Command);
        Assert.Equal("img:1", container.Image);
        Assert.Equal(
            ["tunnel", "--url", "http://web.shop.svc.cluster.local:80", "--name", "shop", "--takeover", "--endpoint", "https://edge.shop.svc.cluster.local:7777", "--ca-cert", "/etc/tunnelctl/ca.crt"],
            container.Args);
        var token = Assert.Single(container.Env!);
        Assert.Equal(("TUNNEL_TOKEN", "web-tunnel-token", "token"), (token.Name, token.ValueFrom!.SecretKeyRef!.Name, token.ValueFrom.SecretKeyRef.Key));
        var volume = Assert.Single(pod.Spec.Volumes!);
        Assert.Equal("web-tunnel-token", volume.Secret!.SecretName);
        Assert.Equal(["ca.crt"], volume.Secret.Items!.Select(i => i.Key));
        Assert.Equal(TokenId.ToString(), pod.Metadata!.Annotations!["tunneloperator.io/token-id"]);
        Assert.All(deployment.Spec.Selector!.MatchLabels!, l => Assert.Equal(l.Value, pod.Metadata.Labels![l.Key]));
        Assert.Equal(TestObjects.TunnelUid, Assert.Single(deployment.Metadata.OwnerReferences!).Uid);
    }

    [Fact]
    public void AgentDeployment_ARandomSubdomainAsksForNoNameAndResourcesAndImageComeFromTheSpec()
    {
        var tunnel = TestObjects.Tunnel(spec: s => s with
        {
            Name = null,
            Agent = new TunnelAgentSpec
            {
                Image = "mirror.local/tunneloperator:2",
                Resources = new ContainerResources { Requests = new Dictionary<string, Kubernetes.Models.Core.IntOrString> { ["cpu"] = "50m", ["memory"] = "64Mi" } },
            },
        });

        var container = TunnelPlanner.AgentDeployment(tunnel, TestObjects.Edge(), "https://app:8443", TokenId, "img:1").Spec!.Template!.Spec!.Containers![0];

        Assert.DoesNotContain("--name", container.Args!);
        Assert.DoesNotContain("--takeover", container.Args!);
        Assert.Equal("mirror.local/tunneloperator:2", container.Image);
        Assert.Equal("64Mi", container.Resources!.Requests!["memory"]);
        Assert.Null(container.Resources.Limits);
    }

    [Fact]
    public void Names_TheUserIsPerNamespaceAndEdgeAndTheTokenPerTunnel()
    {
        Assert.Equal("shop@tunnels.edge.infra.tunneloperator.io", TunnelChildren.UserEmail("shop", "edge", "infra"));
        Assert.Equal($"tunnel/{TestObjects.TunnelUid}", TunnelChildren.TokenName(TestObjects.Tunnel()));
        Assert.True(TunnelChildren.TokenName(TestObjects.Tunnel()).Length <= 64);
    }
}
