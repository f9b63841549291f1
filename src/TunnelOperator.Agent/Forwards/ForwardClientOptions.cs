using System.Net;

namespace TunnelOperator.Agent.Forwards;

/// <summary>What <c>tunnelctl port-forward client</c> runs with.</summary>
public sealed record ForwardClientOptions
{
    public required EdgeSettings Edge { get; init; }

    /// <summary>The server ID, <c>&lt;name&gt;.&lt;slug&gt;</c>.</summary>
    public required string ServerId { get; init; }

    public required ForwardSource Source { get; init; }

    /// <summary>Where to listen locally (TCP or UDP, as the source's protocol).</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>A well-formed forward auth token (checked before this is built).</summary>
    public required string AuthToken { get; init; }

    /// <summary>Local TCP connections forwarded at once; more are closed at once.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Local UDP peers with a flow at once; datagrams of further peers are dropped.</summary>
    public int MaxUdpFlows { get; init; } = 256;

    /// <summary>A UDP flow with no datagram either way for this long is closed.</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time for the edge and the server to answer a new forward stream.</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a local connection waits for the edge session while it reconnects.</summary>
    public TimeSpan ReconnectWait { get; init; } = TimeSpan.FromSeconds(10);
}
