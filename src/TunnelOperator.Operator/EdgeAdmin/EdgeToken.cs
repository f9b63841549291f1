namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>An API token an edge knows (<c>/admin/tokens</c>): never its secret, only who and what for.</summary>
internal sealed record EdgeToken
{
    public required Guid Id { get; init; }

    public required string UserEmail { get; init; }

    public required string Name { get; init; }
}
