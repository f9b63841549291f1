using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Agent.Services;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>Two edges on one store: an agent serves its ports through every edge its invite names.</summary>
public sealed class MultiEdgeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAgent_ConnectsToEveryEdgeItsInviteNames_AndEachEdgeServesThePort()
    {
        await using var origin = new TcpEchoOrigin();
        await using var first = await L4Edge.StartAsync();
        var shared = first.Edge.Server.Services.Options.DataDirectory;
        await using var second = await L4Edge.StartAsync(
            l4 => l4 with { PortBindAddress = IPAddress.Parse("127.0.0.2") },
            edge => edge with { DataDirectory = shared });
        var port = FreePort.Next();
        var issued = await InviteIssuer.IssueAsync(first.Edge.Server.Services.Store,
            new CreateInviteRequest("alice", "*.alice.test", null, null, [first.Edge.ControlEndpoint.ToString(), second.Edge.ControlEndpoint.ToString()]), Ct);
        Assert.True(issued.Ok, issued.Message);
        Assert.True(InviteToken.TryParse(issued.Value.Token, out var invite, out _));
        Assert.True(AgentServiceConfig.TryParse(null, $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""", null, out var services, out var problem), problem);

        await using var agent = new TenantAgent(new ServiceAgentGroup(new ServiceAgentOptions
        {
            InviteToken = issued.Value.Token,
            Edges = ServiceAgentOptions.EdgesOf(invite),
            Services = services,
            CaCertificatePath = first.Edge.CaPath,
        }, NullLoggerFactory.Instance), Guid.Empty);
        var synced = new[] { await agent.NextSyncedAsync(), await agent.NextSyncedAsync() };

        Assert.All(synced, s => Assert.True(s.Services[0].Accepted, s.Services[0].Reason));
        Assert.Equal("one", await RoundTripAsync(IPAddress.Loopback, port, "one"));
        Assert.Equal("two", await RoundTripAsync(IPAddress.Parse("127.0.0.2"), port, "two"));
        Assert.NotNull(first.L4.Routes.FindPort(ServiceProtocol.Tcp, port));
        Assert.NotNull(second.L4.Routes.FindPort(ServiceProtocol.Tcp, port));
    }

    [Fact]
    public async Task AHostnameDeletedThroughOneEdge_LeavesTheOthersRoutesAtTheirNextCheck()
    {
        await using var origin = new TcpEchoOrigin();
        await using var first = await L4Edge.StartAsync();
        var shared = first.Edge.Server.Services.Options.DataDirectory;
        await using var second = await L4Edge.StartAsync(
            l4 => l4 with { PortBindAddress = IPAddress.Parse("127.0.0.2") },
            edge => edge with { DataDirectory = shared, TokenRecheckInterval = TimeSpan.FromMilliseconds(200) });
        var issued = await InviteIssuer.IssueAsync(first.Edge.Server.Services.Store,
            new CreateInviteRequest("alice", "*.alice.test", null, null, [first.Edge.ControlEndpoint.ToString(), second.Edge.ControlEndpoint.ToString()]), Ct);
        Assert.True(issued.Ok, issued.Message);
        Assert.True(InviteToken.TryParse(issued.Value.Token, out var invite, out _));
        Assert.True(AgentServiceConfig.TryParse($$"""[{"hostname":"app.alice.test","origin":"{{origin.Origin}}"}]""", null, null, out var services, out var problem), problem);
        await using var agent = new TenantAgent(new ServiceAgentGroup(new ServiceAgentOptions
        {
            InviteToken = issued.Value.Token,
            Edges = ServiceAgentOptions.EdgesOf(invite),
            Services = services,
            CaCertificatePath = first.Edge.CaPath,
        }, NullLoggerFactory.Instance), Guid.Empty);
        await agent.NextSyncedAsync();
        await agent.NextSyncedAsync();
        Assert.NotNull(first.L4.Routes.FindHost("app.alice.test"));
        Assert.NotNull(second.L4.Routes.FindHost("app.alice.test"));

        using var hub = new HubClient(first.Edge.ControlEndpoint, issued.Value.Token, first.Edge.CaPath);
        var deleted = await hub.SubmitEntryAsync(new SubmitEntryRequest("delete-hostname", "app.alice.test"), Ct);

        Assert.True(deleted.Ok, deleted.Error);
        Assert.Null(first.L4.Routes.FindHost("app.alice.test"));
        for (var attempt = 0; second.L4.Routes.FindHost("app.alice.test") is not null; attempt++)
        {
            Assert.True(attempt < 200, "the second edge still routes the deleted hostname");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<string> RoundTripAsync(IPAddress address, int port, string text)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address, port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), Ct);
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }
}
