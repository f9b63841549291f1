namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>A user of an edge's store (<c>/admin/users</c>); the slug goes into named subdomains.</summary>
internal sealed record EdgeUser
{
    public required Guid Id { get; init; }

    public required string Email { get; init; }

    public required string Slug { get; init; }
}
