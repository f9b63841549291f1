namespace TunnelOperator.Agent.Connection;

/// <summary>How <c>tunnelctl tunnel</c> reaches its edge and what it exposes.</summary>
public sealed record TunnelClientOptions
{
    /// <summary>The edge's control endpoint, e.g. https://tnl.example.com:443 or :7777.</summary>
    public required Uri Endpoint { get; init; }
    public required string Token { get; init; }
    /// <summary>The local service, e.g. http://127.0.0.1:3000.</summary>
    public required Uri Target { get; init; }
    public string? Name { get; init; }
    public bool Takeover { get; init; }
    /// <summary>A PEM CA to trust for the edge (an edge with a generated CA).</summary>
    public string? CaCertificatePath { get; init; }
    public string ClientVersion { get; init; } = Protocol.WireProtocol.ProgramVersion;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
