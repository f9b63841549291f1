namespace TunnelOperator.Store;

/// <summary>A row of <c>api_tokens</c> as listed to admins: never the plaintext, never the hash.</summary>
public sealed record TokenRecord(Guid Id, Guid UserId, string UserEmail, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
