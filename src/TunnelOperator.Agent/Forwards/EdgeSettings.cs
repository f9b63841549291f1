namespace TunnelOperator.Agent.Forwards;

/// <summary>How a port-forward server or client reaches and authenticates to its edge.</summary>
public sealed record EdgeSettings
{
    /// <summary>The edge's control endpoint, e.g. https://tnl.example.com:443 or :7777.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>An API token from <c>tunneld admin issue-token</c>.</summary>
    public required string Token { get; init; }

    public string? CaCertificatePath { get; init; }
    public string ClientVersion { get; init; } = Protocol.WireProtocol.ProgramVersion;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
