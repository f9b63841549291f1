using System.Net;
using System.Net.Sockets;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

public sealed class ForwardSourceTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:22", ForwardProtocol.Tcp, "127.0.0.1", 22)]
    [InlineData("udp://10.0.0.5:51820", ForwardProtocol.Udp, "10.0.0.5", 51820)]
    [InlineData("TCP://db.default.svc.cluster.local:5432", ForwardProtocol.Tcp, "db.default.svc.cluster.local", 5432)]
    [InlineData("tcp://[::1]:8080", ForwardProtocol.Tcp, "::1", 8080)]
    [InlineData(" udp://dns_server:53 ", ForwardProtocol.Udp, "dns_server", 53)]
    [InlineData("tcp://localhost:65535", ForwardProtocol.Tcp, "localhost", 65535)]
    public void TryParse_ReadsProtocolHostAndPort(string text, ForwardProtocol protocol, string host, int port)
    {
        Assert.True(ForwardSource.TryParse(text, out var source, out var problem), problem);
        Assert.Equal(new ForwardSource(protocol, host, port), source);
    }

    [Theory]
    [InlineData("127.0.0.1:22", "needs a protocol")]
    [InlineData("http://127.0.0.1:80", "only tcp:// and udp://")]
    [InlineData("tcp://127.0.0.1", "HOST:PORT")]
    [InlineData("tcp://127.0.0.1:0", "from 1 to 65535")]
    [InlineData("tcp://127.0.0.1:70000", "from 1 to 65535")]
    [InlineData("tcp://127.0.0.1:+22", "from 1 to 65535")]
    [InlineData("tcp://::1:22", "in brackets")]
    [InlineData("tcp://[::1]22", "[ADDRESS]:PORT")]
    [InlineData("tcp://[10.0.0.1]:22", "not an IPv6 address")]
    [InlineData("tcp://127.1:22", "four decimal numbers, e.g. 127.0.0.1")]
    [InlineData("tcp://0x7f.0.0.1:22", "four decimal numbers")]
    [InlineData("tcp://bad host:22", "neither an IP address nor a host name")]
    [InlineData("tcp://-x.example:22", "neither an IP address nor a host name")]
    [InlineData("tcp://:22", "HOST:PORT")]
    public void TryParse_RefusesWithAReason(string text, string reason)
    {
        Assert.False(ForwardSource.TryParse(text, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://[::1]:8080")]
    [InlineData("udp://10.0.0.5:53")]
    [InlineData("tcp://db.local:5432")]
    public void ToString_RoundTrips(string text)
    {
        Assert.True(ForwardSource.TryParse(text, out var source, out _));
        Assert.Equal(text, source.ToString());
    }

    [Fact]
    public async Task Resolver_ChecksEveryAddressOfAName_AndDialsOnlyCheckedAddresses()
    {
        Assert.True(ForwardAllowlist.TryCreate(["127.0.0.0/8"], [], out var allowlist, out _));
        var answers = new Queue<IPAddress[]>(
        [
            [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2")],
            [IPAddress.Parse("127.0.0.1"), IPAddress.IPv6Loopback],
            [IPAddress.Parse("10.0.0.1")],
        ]);
        var resolver = new SourceResolver(allowlist, TimeProvider.System, (_, _) => Task.FromResult(answers.Dequeue()));
        Assert.True(ForwardSource.TryParse("tcp://svc.local:80", out var source, out _));

        var first = await resolver.CheckAsync(source, TestContext.Current.CancellationToken);
        Assert.True(first.Allowed);
        Assert.Equal(["127.0.0.1:80", "127.0.0.2:80"], first.EndPoints.Select(e => e.ToString()));

        // One refused address refuses the name, and the rule says which one.
        var second = await resolver.CheckAsync(source, TestContext.Current.CancellationToken);
        Assert.False(second.Allowed);
        Assert.Contains("tcp://svc.local:80 (resolved to ::1) is not allowed: ::1 is not in any --allowed-tcp network (127.0.0.0/8)", second.Refusal, StringComparison.Ordinal);

        // Each check resolves again: a name that moves (DNS rebinding) is judged by its new answer.
        var third = await resolver.CheckAsync(source, TestContext.Current.CancellationToken);
        Assert.Contains("10.0.0.1 is not in any --allowed-tcp network (127.0.0.0/8)", third.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolver_ReportsNamesThatDoNotResolve()
    {
        Assert.True(ForwardAllowlist.TryCreate(["0.0.0.0/0"], [], out var allowlist, out _));
        var resolver = new SourceResolver(allowlist, TimeProvider.System, (_, _) => throw new SocketException((int)SocketError.HostNotFound));
        Assert.True(ForwardSource.TryParse("tcp://nowhere.invalid:80", out var source, out _));
        var check = await resolver.CheckAsync(source, TestContext.Current.CancellationToken);
        Assert.Null(check.Refusal);
        Assert.Contains("'nowhere.invalid' does not resolve on the server", check.Failure, StringComparison.Ordinal);
    }
}
