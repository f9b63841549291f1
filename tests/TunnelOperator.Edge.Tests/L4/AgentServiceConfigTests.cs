using TunnelOperator.Agent.Services;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.L4;

public sealed class AgentServiceConfigTests
{
    [Fact]
    public void SeedShapes_Parse_WithProxyProtocolDefaults()
    {
        const string tls = """
            [
              {"hostname":"App.Alice.Example.EU","origin":"127.0.0.1:8443"},
              {"hostname":"web.alice.example.eu","origin":"127.0.0.1:8080","tls_mode":{"mode":"terminate"}},
              {"hostname":"raw.alice.example.eu","origin":"[::1]:8443","proxy_protocol":"none","origin_server_name":"internal.example"}
            ]
            """;
        const string tcp = """[{"name":"forgejo-ssh","origin":"forgejo:22","listen_port":2222,"proxy_protocol":"v2"}]""";
        const string udp = """[{"name":"dns","origin":"127.0.0.1:5353","listen_port":5353}]""";

        Assert.True(AgentServiceConfig.TryParse(tls, tcp, udp, out var services, out var problem), problem);

        Assert.Collection(services,
            s => Assert.Equal(("app.alice.example.eu", TlsMode.Passthrough, ProxyProtocolMode.V2, "127.0.0.1:8443"), (s.Name, s.TlsMode, s.ProxyProtocol, s.Origin)),
            s => Assert.Equal(("web.alice.example.eu", TlsMode.Terminate, ProxyProtocolMode.None), (s.Name, s.TlsMode, s.ProxyProtocol)),
            s => Assert.Equal((ProxyProtocolMode.None, "::1", "internal.example"), (s.ProxyProtocol, s.OriginHost, s.OriginServerName)),
            s => Assert.Equal(("forgejo-ssh", ServiceProtocol.Tcp, 2222, ProxyProtocolMode.V2, "forgejo:22"), (s.Name, s.Protocol, s.ListenPort, s.ProxyProtocol, s.Origin)),
            s => Assert.Equal(("dns", ServiceProtocol.Udp, 5353, ProxyProtocolMode.None), (s.Name, s.Protocol, s.ListenPort, s.ProxyProtocol)));
    }

    [Theory]
    [InlineData("""[{"origin":"127.0.0.1:1"}]""", null, "TUNNEL_AGENT_SERVICES[0]: a hostname is required")]
    [InlineData("""[{"hostname":"a.example.eu","origin":"nope"}]""", null, "must be HOST:PORT")]
    [InlineData("""[{"hostname":"a.example.eu","origin":"h:1","tls_mode":{"mode":"both"}}]""", null, "tls_mode must be")]
    [InlineData("""[{"hostname":"a.example.eu","origin":"h:1","proxy_protocol":"v1"}]""", null, "proxy_protocol 'v1'")]
    [InlineData(null, """[{"name":"x","origin":"h:1"}]""", "listen_port is required")]
    [InlineData(null, """[{"name":"x","origin":"h:1","listen_port":1},{"name":"x","origin":"h:2","listen_port":2}]""", "TCP service name 'x' is used twice")]
    [InlineData("{", null, "not a JSON array")]
    [InlineData(null, null, "no services")]
    public void BadConfiguration_IsRefusedWithAReason(string? tls, string? tcp, string reason)
    {
        Assert.False(AgentServiceConfig.TryParse(tls, tcp, null, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OneNameForATcpAndAUdpService_IsAccepted()
    {
        const string tcp = """[{"name":"dns","origin":"127.0.0.1:53","listen_port":5353}]""";
        const string udp = """[{"name":"dns","origin":"127.0.0.1:53","listen_port":5353}]""";

        Assert.True(AgentServiceConfig.TryParse(null, tcp, udp, out var services, out var problem), problem);
        Assert.Equal([ServiceProtocol.Tcp, ServiceProtocol.Udp], services.Select(s => s.Protocol));
        Assert.False(AgentServiceConfig.TryParse(null, null, udp.Replace("]", ",{\"name\":\"dns\",\"origin\":\"h:1\",\"listen_port\":1}]", StringComparison.Ordinal), out _, out problem));
        Assert.Contains("UDP service name 'dns' is used twice", problem, StringComparison.Ordinal);
    }
}
