using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Agent.Services;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>An in-process edge with declared ports on loopback, plus invites and tenant agents for it.</summary>
internal sealed class L4Edge : IAsyncDisposable
{
    private L4Edge(InProcessEdge edge) => Edge = edge;

    public InProcessEdge Edge { get; }

    public int HttpsPort => Edge.HttpsPort;

    public L4Services L4 => Edge.Server.Services.L4;

    public static async Task<L4Edge> StartAsync(Func<L4Options, L4Options>? configure = null, Func<EdgeOptions, EdgeOptions>? edge = null)
    {
        var started = await InProcessEdge.StartAsync(o =>
        {
            var l4 = new L4Options { PortBindAddress = IPAddress.Loopback };
            o = o with { L4 = configure?.Invoke(l4) ?? l4, TokenRecheckInterval = TimeSpan.FromMilliseconds(300) };
            return edge?.Invoke(o) ?? o;
        });
        return new L4Edge(started);
    }

    /// <summary>Creates a tenant; returns its invite token (pointing at this edge's control port).</summary>
    public async Task<string> InviteAsync(string name, string hostnames, string? ports = null, long? expiresInSeconds = null)
    {
        var issued = await InviteIssuer.IssueAsync(Edge.Server.Services.Store,
            new CreateInviteRequest(name, hostnames, ports, expiresInSeconds, [Edge.ControlEndpoint.ToString().TrimEnd('/')]), CancellationToken.None);
        Assert.True(issued.Ok, issued.Message);
        return issued.Value.Token;
    }

    public TenantAgent StartAgent(string token, string? tls = null, string? tcp = null, string? udp = null, TimeSpan? udpIdle = null)
    {
        Assert.True(AgentServiceConfig.TryParse(tls, tcp, udp, out var services, out var problem), problem);
        var options = new ServiceAgentOptions
        {
            InviteToken = token,
            Edges = [Edge.ControlEndpoint],
            Services = services,
            CaCertificatePath = Edge.CaPath,
            ClientVersion = "test-agent",
            UdpIdleTimeout = udpIdle ?? TimeSpan.FromSeconds(60),
        };
        return new TenantAgent(new ServiceAgentGroup(options, NullLoggerFactory.Instance, backoff: () => new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200))), options.AgentId);
    }

    /// <summary>Starts an agent and waits for its services to be declared; returns it and the statuses.</summary>
    public async Task<(TenantAgent Agent, ServicesSynced Synced)> StartSyncedAgentAsync(string token, string? tls = null, string? tcp = null, string? udp = null, TimeSpan? udpIdle = null)
    {
        var agent = StartAgent(token, tls, tcp, udp, udpIdle);
        return (agent, await agent.NextSyncedAsync());
    }

    public ValueTask DisposeAsync() => Edge.DisposeAsync();
}

/// <summary>A tenant agent running in the background, with its events as channels.</summary>
internal sealed class TenantAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public TenantAgent(ServiceAgentGroup group, Guid agentId)
    {
        AgentId = agentId;
        group.Synced += (_, synced) => Synced.Writer.TryWrite(synced);
        group.Retrying += (_, outcome, _) => Failures.Writer.TryWrite(outcome);
        Completion = Task.Run(() => group.RunAsync(_stop.Token));
    }

    public Guid AgentId { get; }

    public Channel<ServicesSynced> Synced { get; } = Channel.CreateUnbounded<ServicesSynced>();

    public Channel<AgentOutcome> Failures { get; } = Channel.CreateUnbounded<AgentOutcome>();

    /// <summary>A fatal outcome, or Stopped after dispose.</summary>
    public Task<AgentOutcome> Completion { get; }

    public async Task<ServicesSynced> NextSyncedAsync(TimeSpan? timeout = null)
    {
        var read = Synced.Reader.ReadAsync().AsTask();
        var finished = await Task.WhenAny(read, Completion).WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        if (finished == Completion)
        {
            var outcome = await Completion;
            if (!read.IsCompleted)
            {
                throw new InvalidOperationException($"the agent stopped before its services were declared: {outcome.Kind} {outcome.Code}: {outcome.Message}");
            }
        }

        return await read;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Completion.WaitAsync(TimeSpan.FromSeconds(20));
        _stop.Dispose();
    }
}
