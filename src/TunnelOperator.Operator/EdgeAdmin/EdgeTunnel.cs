namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>One live tunnel on an edge, as <c>GET /admin/tunnels</c> reports it.</summary>
internal sealed record EdgeTunnel
{
    public required string Subdomain { get; init; }

    public required string PublicUrl { get; init; }

    /// <summary>The persistent name the agent asked for; null for a random subdomain.</summary>
    public string? Name { get; init; }

    public required string UserEmail { get; init; }

    public string? SessionId { get; init; }

    public string? Target { get; init; }

    /// <summary>The API token the agent authenticated with.</summary>
    public Guid? TokenId { get; init; }
}
