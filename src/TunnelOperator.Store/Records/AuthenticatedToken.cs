namespace TunnelOperator.Store;

/// <summary>Who presented a valid token, and which token it was (sessions re-check it by id).</summary>
public sealed record AuthenticatedToken(UserRecord User, Guid TokenId);
