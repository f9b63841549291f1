using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.Tests.Support;
using TunnelOperator.Operator.Tunnels;

namespace TunnelOperator.Operator.Tests.Tunnels;

public sealed class TunnelTargetResolverTests
{
    [Theory]
    [InlineData("http", TunnelProtocol.Http, "http://web.shop.svc.cluster.local:80")]
    [InlineData("metrics", TunnelProtocol.Http, "http://web.shop.svc.cluster.local:9100")]
    [InlineData("http", TunnelProtocol.Https, "https://web.shop.svc.cluster.local:80")]
    public void Resolve_ANamedServicePortBecomesTheServicesClusterDnsUrl(string port, TunnelProtocol protocol, string expected)
    {
        var tunnel = TestObjects.Tunnel(spec: s => s with { Protocol = protocol, Target = new TunnelTarget { Service = new ServiceTarget { Name = "web", Port = port } } });

        Assert.Equal(ResolvedTarget.Ok(expected), TunnelTargetResolver.Resolve(tunnel, TestObjects.Service()));
    }

    [Fact]
    public void Resolve_ANumericPortMustBeOneOfTheServices()
    {
        var tunnel = TestObjects.Tunnel(spec: s => s with { Target = new TunnelTarget { Service = new ServiceTarget { Name = "web", Port = 9100 } } });
        var wrong = TestObjects.Tunnel(spec: s => s with { Target = new TunnelTarget { Service = new ServiceTarget { Name = "web", Port = 81 } } });

        Assert.Equal("http://web.shop.svc.cluster.local:9100", TunnelTargetResolver.Resolve(tunnel, TestObjects.Service()).Url);
        Assert.Contains("has no port 81; its ports: http (80), metrics (9100)", TunnelTargetResolver.Resolve(wrong, TestObjects.Service()).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AMissingServiceOrPortIsAProblem()
    {
        var tunnel = TestObjects.Tunnel(spec: s => s with { Target = new TunnelTarget { Service = new ServiceTarget { Name = "web", Port = "grpc" } } });

        Assert.Equal("Service shop/web does not exist", TunnelTargetResolver.Resolve(tunnel, null).Problem);
        Assert.Contains("has no port grpc", TunnelTargetResolver.Resolve(tunnel, TestObjects.Service()).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://app.other.svc:8080/base", TunnelProtocol.Http, "http://app.other.svc:8080/base", null)]
    [InlineData("https://10.0.0.5:8443", TunnelProtocol.Https, "https://10.0.0.5:8443", null)]
    [InlineData("https://10.0.0.5:8443", TunnelProtocol.Http, null, "is https:// but the tunnel's protocol is http")]
    [InlineData("tcp://10.0.0.5:5432", TunnelProtocol.Http, null, "must be an http:// or https:// URL")]
    public void Resolve_AUrlIsDialledAsWrittenWhenItsSchemeFitsTheProtocol(string url, TunnelProtocol protocol, string? expected, string? problem)
    {
        var tunnel = TestObjects.Tunnel(spec: s => s with { Protocol = protocol, Target = new TunnelTarget { Url = url } });

        var resolved = TunnelTargetResolver.Resolve(tunnel, service: null);

        Assert.Equal(expected, resolved.Url);
        if (problem is not null)
        {
            Assert.Contains(problem, resolved.Problem, StringComparison.Ordinal);
        }
    }
}
