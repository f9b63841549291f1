namespace TunnelOperator.Store.Data;

/// <summary>Row of <c>api_tokens</c>; <see cref="TokenHash"/> is SHA-256 of the plaintext.</summary>
internal sealed class ApiTokenEntity
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public string Name { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
