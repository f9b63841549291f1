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
        await using var edges = await TwoEdges.StartAsync();
        var port = FreePort.Next();
        var (_, agent) = await edges.StartAgentAsync(null, $$"""[{"name":"echo","origin":"{{origin.Origin}}","listen_port":{{port}}}]""");
        await using var _ = agent;
        var synced = new[] { await agent.NextSyncedAsync(), await agent.NextSyncedAsync() };

        Assert.All(synced, s => Assert.True(s.Services[0].Accepted, s.Services[0].Reason));
        Assert.Equal("one", await RoundTripAsync(IPAddress.Loopback, port, "one"));
        Assert.Equal("two", await RoundTripAsync(IPAddress.Parse("127.0.0.2"), port, "two"));
        Assert.NotNull(edges.First.L4.Routes.FindPort(ServiceProtocol.Tcp, port));
        Assert.NotNull(edges.Second.L4.Routes.FindPort(ServiceProtocol.Tcp, port));
    }

    [Fact]
    public async Task AHostnameDeletedThroughOneEdge_LeavesTheOthersRoutesAtTheirNextCheck()
    {
        await using var origin = new TcpEchoOrigin();
        await using var edges = await TwoEdges.StartAsync(secondRecheck: TimeSpan.FromMilliseconds(200));
        var (token, agent) = await edges.StartAgentAsync($$"""[{"hostname":"app.alice.test","origin":"{{origin.Origin}}"}]""", null);
        await using var _ = agent;
        await agent.NextSyncedAsync();
        await agent.NextSyncedAsync();
        Assert.NotNull(edges.First.L4.Routes.FindHost("app.alice.test"));
        Assert.NotNull(edges.Second.L4.Routes.FindHost("app.alice.test"));

        using var hub = new HubClient(edges.First.Edge.ControlEndpoint, token, edges.First.Edge.CaPath);
        var deleted = await hub.SubmitEntryAsync(new SubmitEntryRequest("delete-hostname", "app.alice.test"), Ct);

        Assert.True(deleted.Ok, deleted.Error);
        Assert.Null(edges.First.L4.Routes.FindHost("app.alice.test"));
        await Until.TrueAsync(() => edges.Second.L4.Routes.FindHost("app.alice.test") is null, "the second edge to drop the deleted hostname", cancellationToken: Ct);
    }

    /// <summary>Two in-process edges on one store (the second's ports on 127.0.0.2), and alice's agent on both.</summary>
    private sealed class TwoEdges(L4Edge first, L4Edge second) : IAsyncDisposable
    {
        public L4Edge First { get; } = first;
        public L4Edge Second { get; } = second;

        public static async Task<TwoEdges> StartAsync(TimeSpan? secondRecheck = null)
        {
            var first = await L4Edge.StartAsync();
            var shared = first.Edge.Server.Services.Options.DataDirectory;
            var second = await L4Edge.StartAsync(
                l4 => l4 with { PortBindAddress = IPAddress.Parse("127.0.0.2") },
                edge => edge with { DataDirectory = shared, TokenRecheckInterval = secondRecheck ?? edge.TokenRecheckInterval });
            return new TwoEdges(first, second);
        }

        /// <summary>An invite for alice naming both edges, and an agent serving the given services through it.</summary>
        public async Task<(string Token, TenantAgent Agent)> StartAgentAsync(string? tls, string? tcp)
        {
            var issued = await InviteIssuer.IssueAsync(First.Edge.Server.Services.Store,
                new CreateInviteRequest("alice", "*.alice.test", null, null, [First.Edge.ControlEndpoint.ToString(), Second.Edge.ControlEndpoint.ToString()]), Ct);
            Assert.True(issued.Ok, issued.Message);
            Assert.True(InviteToken.TryParse(issued.Value.Token, out var invite, out _));
            Assert.True(AgentServiceConfig.TryParse(tls, tcp, null, out var services, out var problem), problem);
            var agent = new TenantAgent(new ServiceAgentGroup(new ServiceAgentOptions
            {
                InviteToken = issued.Value.Token,
                Edges = ServiceAgentOptions.EdgesOf(invite),
                Services = services,
                CaCertificatePath = First.Edge.CaPath,
            }, NullLoggerFactory.Instance), Guid.Empty);
            return (issued.Value.Token, agent);
        }

        public async ValueTask DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
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
