namespace TunnelOperator.Store;

/// <summary>A row of <c>tunnels</c>: a named tunnel's stable subdomain, <c>&lt;name&gt;-&lt;slug&gt;</c>.</summary>
public sealed record TunnelRecord(Guid Id, Guid UserId, string Name, string Subdomain, DateTimeOffset CreatedAt);
