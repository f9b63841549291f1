namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>A token just issued (<c>POST /admin/tokens</c>): the only time its plaintext is known.</summary>
internal sealed record IssuedEdgeToken
{
    public required Guid Id { get; init; }

    /// <summary>The secret. It goes into a Secret and nowhere else: never a log, an event or a status.</summary>
    public required string Token { get; init; }

    public required string Name { get; init; }

    public required string UserEmail { get; init; }
}
