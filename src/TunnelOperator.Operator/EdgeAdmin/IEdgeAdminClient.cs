namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>
/// The calls the operator makes on one edge's admin API. Failures are <see cref="EdgeAdminException"/>s.
/// </summary>
internal interface IEdgeAdminClient
{
    /// <summary><c>GET /readyz</c>: whether the edge serves (its store answers).</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<EdgeTunnel>> ListTunnelsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<EdgeUser>> ListUsersAsync(CancellationToken cancellationToken);

    /// <summary>Creates a user; one with that email already existing is a 409 <see cref="EdgeAdminException"/>.</summary>
    Task<EdgeUser> CreateUserAsync(string email, CancellationToken cancellationToken);

    Task<IReadOnlyList<EdgeToken>> ListTokensAsync(CancellationToken cancellationToken);

    Task<IssuedEdgeToken> IssueTokenAsync(string email, string name, CancellationToken cancellationToken);

    /// <summary>Revokes a token; false when the edge does not know it (revoked already).</summary>
    Task<bool> RevokeTokenAsync(Guid id, CancellationToken cancellationToken);
}

/// <summary>Makes admin clients for edges; one shared connection pool behind them.</summary>
internal interface IEdgeAdminClientFactory
{
    IEdgeAdminClient Create(Uri endpoint, string adminToken);
}
