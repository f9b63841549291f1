namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>Request and error bodies of the edge admin API.</summary>
internal static class EdgeAdminRequests
{
    public sealed record CreateUser(string Email);

    public sealed record IssueToken(string Email, string Name);

    public sealed record ErrorBody(string? Error);
}
