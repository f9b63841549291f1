namespace TunnelOperator.Agent.Forwards;

/// <summary>What <c>tunnelctl port-forward server</c> runs with.</summary>
public sealed record ForwardServerOptions
{
    /// <summary>
    /// The edges to serve on, each with its own connection (several replicas of one hub, or
    /// edges that share its store): a client reaches the server through any of them.
    /// </summary>
    public required IReadOnlyList<EdgeSettings> Edges { get; init; }

    /// <summary>The name part of the server ID; the edge appends the user's slug.</summary>
    public required string Name { get; init; }

    public required ForwardTokenSet Tokens { get; init; }
    public required ForwardAllowlist Allowlist { get; init; }

    /// <summary>Forward streams served at once (TCP connections plus UDP flows); more are refused.</summary>
    public int MaxSessions { get; init; } = 100;

    /// <summary>A UDP flow with no datagram either way for this long is closed.</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time to connect to a TCP source, over all of its checked addresses.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a new forward stream has to deliver its ForwardRequest.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
