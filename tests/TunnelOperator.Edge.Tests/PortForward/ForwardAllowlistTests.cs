using System.Net;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

public sealed class ForwardAllowlistTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData(" 192.168.1.0/24 ", "192.168.1.0/24")]
    [InlineData("10.1.2.3", "10.1.2.3/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("fd00::/8", "fd00::/8")]
    [InlineData("::1", "::1/128")]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    public void TryParseNetwork_AcceptsCidrsAndSingleAddresses(string text, string expected)
    {
        Assert.True(ForwardAllowlist.TryParseNetwork(text, out var network, out var problem), problem);
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("10.0.0.1/8", "did you mean 10.0.0.0/8?")]
    [InlineData("10.0.0.0/33", "from 0 to 32")]
    [InlineData("fd00::/129", "from 0 to 128")]
    [InlineData("10.0.0.0/-1", "from 0 to 32")]
    [InlineData("10.0.0.0/", "from 0 to 32")]
    [InlineData("10.0.0/8", "CIDR notation")]
    [InlineData("127.1/8", "CIDR notation")]
    [InlineData("example.com/24", "CIDR notation")]
    [InlineData("", "CIDR notation")]
    [InlineData("::ffff:10.0.0.0/8", "96 or more")]
    public void TryParseNetwork_RefusesWhatIsNotACidr(string text, string hint)
    {
        Assert.False(ForwardAllowlist.TryParseNetwork(text, out _, out var problem));
        Assert.Contains(hint, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_NamesTheFlagOfABadEntry_AndSplitsCommaLists()
    {
        Assert.False(ForwardAllowlist.TryCreate(["10.0.0.0/8"], ["192.168.0.1/16"], out _, out var problem));
        Assert.StartsWith("--allowed-udp: ", problem, StringComparison.Ordinal);
        Assert.True(ForwardAllowlist.TryCreate(["10.0.0.0/8, 172.16.0.0/12"], [], out var allowlist, out _));
        Assert.Equal(2, allowlist.Tcp.Count);
    }

    [Theory]
    // Plain matching.
    [InlineData("10.0.0.0/8", "10.1.2.3", true, "--allowed-tcp 10.0.0.0/8")]
    [InlineData("10.0.0.0/8", "11.0.0.1", false, "not in any --allowed-tcp network (10.0.0.0/8)")]
    [InlineData("10.0.0.0/8", "::ffff:10.9.9.9", true, "--allowed-tcp 10.0.0.0/8")]
    [InlineData("fd00::/8", "fd12::1", true, "--allowed-tcp fd00::/8")]
    [InlineData("fd00::/8", "10.0.0.1", false, "not in any")]
    // Loopback: a catch-all does not cover it; its own entry does.
    [InlineData("0.0.0.0/0", "127.0.0.1", false, "127.0.0.1 is a loopback address (127.0.0.0/8), refused unless the server lists it on its own, e.g. --allowed-tcp 127.0.0.0/8")]
    [InlineData("0.0.0.0/0", "8.8.8.8", true, "--allowed-tcp 0.0.0.0/0")]
    [InlineData("127.0.0.0/8", "127.0.0.1", true, "--allowed-tcp 127.0.0.0/8")]
    [InlineData("127.0.0.1/32", "127.0.0.1", true, "--allowed-tcp 127.0.0.1/32")]
    [InlineData("127.0.0.1/32", "127.0.0.2", false, "not in any")]
    [InlineData("0.0.0.0/0", "::ffff:127.0.0.1", false, "loopback")]
    [InlineData("::/0", "::1", false, "the loopback address (::1/128)")]
    [InlineData("::1/128", "::1", true, "--allowed-tcp ::1/128")]
    [InlineData("0.0.0.0/0", "0.0.0.0", false, "'this host' address (0.0.0.0/8)")]
    [InlineData("::/0", "::", false, "unspecified address")]
    // Link-local.
    [InlineData("0.0.0.0/0", "169.254.10.10", false, "a link-local address (169.254.0.0/16)")]
    [InlineData("169.254.0.0/16", "169.254.10.10", true, "--allowed-tcp 169.254.0.0/16")]
    [InlineData("::/0", "fe80::1", false, "a link-local address (fe80::/10)")]
    [InlineData("fe80::/10", "fe80::1", true, "--allowed-tcp fe80::/10")]
    // Cloud metadata: only the exact address allows it, not even the link-local range.
    [InlineData("169.254.0.0/16", "169.254.169.254", false, "a cloud metadata address (169.254.169.254/32)")]
    [InlineData("0.0.0.0/0", "169.254.169.254", false, "cloud metadata")]
    [InlineData("169.254.169.254/32", "169.254.169.254", true, "--allowed-tcp 169.254.169.254/32")]
    [InlineData("fe80::/10,fd00::/8", "fd00:ec2::254", false, "a cloud metadata address (fd00:ec2::254/128)")]
    [InlineData("100.64.0.0/10", "100.100.100.200", false, "cloud metadata")]
    [InlineData("168.63.0.0/16", "168.63.129.16", false, "cloud metadata")]
    [InlineData("169.254.0.0/16", "169.254.170.2", false, "cloud metadata")]
    public void Check_DecidesAndNamesTheRule(string allowed, string address, bool expected, string rule)
    {
        Assert.True(ForwardAllowlist.TryCreate([allowed], [], out var allowlist, out var problem), problem);
        var decision = allowlist.Check(ForwardProtocol.Tcp, IPAddress.Parse(address));
        Assert.Equal(expected, decision.Allowed);
        Assert.Contains(rule, decision.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_KeepsProtocolsApart()
    {
        Assert.True(ForwardAllowlist.TryCreate(["10.0.0.0/8"], [], out var allowlist, out _));
        var udp = allowlist.Check(ForwardProtocol.Udp, IPAddress.Parse("10.0.0.1"));
        Assert.False(udp.Allowed);
        Assert.Equal("this server allows no udp sources (it was started without --allowed-udp)", udp.Rule);
        Assert.True(allowlist.Check(ForwardProtocol.Tcp, IPAddress.Parse("10.0.0.1")).Allowed);
    }
}
