namespace TunnelOperator.Store;

/// <summary>A row of <c>users</c>. <paramref name="Slug"/> ends every named-tunnel subdomain of the user.</summary>
public sealed record UserRecord(Guid Id, string Email, string Slug, DateTimeOffset CreatedAt);
